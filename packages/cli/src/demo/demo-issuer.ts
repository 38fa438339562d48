// The demo's test token issuer, `https://auth.example.com`: an RSA key pair made for this data directory, the
// public half served as a JWKS on loopback (what the frontend's RequestAuthentication and the auth service
// check against), the private half signing the tokens the demo's traffic carries.
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

export const DEMO_ISSUER = 'https://auth.example.com';
export const JWKS_PATH = '/.well-known/jwks.json';
const KID = 'heddle-demo';
const ALG = 'RS256';

export interface IssuerFiles {
  readonly issuerKey: string;
  readonly jwks: string;
}

export async function createIssuerKeys(files: IssuerFiles): Promise<void> {
  const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
  const common = { kid: KID, alg: ALG, use: 'sig' };
  await writeFile(files.issuerKey, `${JSON.stringify({ ...(await exportJWK(privateKey)), ...common })}\n`, {
    mode: 0o600,
  });
  await writeFile(
    files.jwks,
    `${JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), ...common }] })}\n`,
  );
}

export interface TokenSigner {
  /** A token for `subject`, valid for an hour. */
  sign(subject: string, name: string): Promise<string>;
  /** The same claims signed by a key that is not in the JWKS (same kid): the frontend must refuse it. */
  forge(subject: string): Promise<string>;
}

export async function loadTokenSigner(issuerKeyFile: string): Promise<TokenSigner> {
  const jwk = JSON.parse(await readFile(issuerKeyFile, 'utf8')) as JWK;
  const key = await importJWK(jwk, ALG);
  const stranger = await generateKeyPair(ALG);
  const token = (
    signingKey: Parameters<SignJWT['sign']>[0],
    subject: string,
    name: string,
  ): Promise<string> =>
    new SignJWT({ name })
      .setProtectedHeader({ alg: ALG, kid: KID, typ: 'JWT' })
      .setIssuer(DEMO_ISSUER)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(signingKey);
  return {
    sign: (subject, name) => token(key, subject, name),
    forge: (subject) => token(stranger.privateKey, subject, 'forged'),
  };
}

/** Serves the key set at `http://<host>:<port>/.well-known/jwks.json`. */
export async function startJwksServer(jwksFile: string, host: string, port: number): Promise<Server> {
  const body = await readFile(jwksFile, 'utf8');
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === JWKS_PATH) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' }).end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, resolve);
  });
  return server;
}

export function jwksUrl(host: string, port: number): string {
  return `http://${host}:${port}${JWKS_PATH}`;
}
