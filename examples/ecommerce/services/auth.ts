// The auth service: verifies the shop's tokens (RS256 JWTs from the issuer `JWT_ISSUER`) against the key set
// at `JWKS_URI` — the same key set the frontend's sidecar checks for the RequestAuthentication. node:crypto
// only: the JWKS is fetched directly (a loopback address, which NO_PROXY keeps off the sidecar).
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { get } from 'node:http';
import { settingsFromEnv, startService } from './lib/shop-service.ts';

const settings = settingsFromEnv('auth');
const issuer = process.env.JWT_ISSUER ?? 'https://auth.example.com';
const jwksUri = process.env.JWKS_URI ?? '';
const KEYS_TTL_MS = 60_000;

let keys: { at: number; byKid: Map<string, KeyObject> } | undefined;

function fetchJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    get(url, { timeout: 5_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        try {
          resolve(JSON.parse(text));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    }).on('error', reject);
  });
}

async function keySet(): Promise<Map<string, KeyObject>> {
  if (keys && Date.now() - keys.at < KEYS_TTL_MS) return keys.byKid;
  const jwks = (await fetchJson(jwksUri)) as { keys?: (JsonWebKey & { kid?: string })[] };
  const byKid = new Map<string, KeyObject>();
  for (const jwk of jwks.keys ?? []) {
    byKid.set(jwk.kid ?? '', createPublicKey({ key: jwk, format: 'jwk' }));
  }
  keys = { at: Date.now(), byKid };
  return byKid;
}

function decode(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The token's claims when it is signed by a key of the set, from our issuer, and not expired. */
async function verifyToken(token: string): Promise<Record<string, unknown> | string> {
  const [head = '', payload = '', signature = ''] = token.split('.');
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decode(head);
    claims = decode(payload);
  } catch {
    return 'malformed token';
  }
  if (header.alg !== 'RS256') return `unsupported alg ${String(header.alg)}`;
  const key = (await keySet()).get(typeof header.kid === 'string' ? header.kid : '');
  if (!key) return 'unknown key';
  const signed = verify(
    'sha256',
    Buffer.from(`${head}.${payload}`),
    key,
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) return 'bad signature';
  if (claims.iss !== issuer) return 'wrong issuer';
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) return 'expired';
  return claims;
}

startService(settings, [
  {
    method: 'GET',
    pattern: /^\/api\/auth\/verify$/,
    handle: async ({ headers }) => {
      const bearer = /^Bearer (.+)$/.exec(String(headers.authorization ?? ''))?.[1];
      if (bearer === undefined)
        return { status: 401, body: { service: 'auth', valid: false, reason: 'no token' } };
      const result = await verifyToken(bearer);
      if (typeof result === 'string')
        return { status: 401, body: { service: 'auth', valid: false, reason: result } };
      return { body: { service: 'auth', valid: true, subject: result.sub, name: result.name } };
    },
  },
]);
