// A JWT issuer for the security e2e tests: an RSA key pair made in the test, its JWKS served on 127.0.0.1 (the
// control plane fetches it, as it would an issuer's jwksUri), and tokens signed with it — or forged ones.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type CryptoKey } from 'jose';

export interface JwtIssuer {
  /** The JWKS URL, `http://127.0.0.1:<port>/jwks.json`. */
  readonly jwksUri: string;
  /** Requests the JWKS endpoint received. */
  readonly hits: { count: number };
  /** A token signed with the served key (RS256, kid `test-key`); `claims` override the defaults. */
  token(claims: JWTPayload & { iss: string }, options?: TokenOptions): Promise<string>;
  /** The same claims signed with a key that is not in the JWKS (same kid): the signature must not verify. */
  forged(claims: JWTPayload & { iss: string }): Promise<string>;
  close(): Promise<void>;
}

export interface TokenOptions {
  /** Seconds from now; one hour by default. Negative makes an expired token. */
  readonly expiresIn?: number;
  readonly kid?: string;
}

const KID = 'test-key';

async function sign(key: CryptoKey, claims: JWTPayload, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: 'user-1', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? KID, typ: 'JWT' })
    .setIssuedAt(now - 10)
    .setExpirationTime(now + (options.expiresIn ?? 3600))
    .sign(key);
}

export async function startJwtIssuer(): Promise<JwtIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  const body = JSON.stringify({ keys: [jwk] });
  const hits = { count: 0 };
  const server: Server = createServer((req, res) => {
    if (req.url === '/jwks.json') {
      hits.count += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUri: `http://127.0.0.1:${port}/jwks.json`,
    hits,
    token: (claims, options) => sign(privateKey, claims, options),
    forged: (claims) => sign(other.privateKey, claims),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `header.payload.signature` with `alg: none` and no signature. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'user-1', exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}.`;
}

/** Replaces a seed's jwksUri (a public issuer this machine cannot reach) with the local issuer's. */
export function withLocalJwks(seedYaml: string, jwksUri: string): string {
  return seedYaml.replace(/jwksUri:\s*"?https:\/\/[^\s"]+"?/g, `jwksUri: "${jwksUri}"`);
}
