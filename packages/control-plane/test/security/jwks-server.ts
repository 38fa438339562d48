// A JWKS issuer on 127.0.0.1 for tests: serves a key set (and an OpenID discovery document) whose answers the
// test changes, and counts requests.
import { createServer, type Server } from 'node:http';
import type { RequestAuthentication } from '@heddle/api';
import type { AddressInfo } from 'node:net';

export interface JwksServer {
  readonly url: string;
  /** Requests received, by path. */
  readonly hits: Map<string, number>;
  /** What GET <path> answers; a number answers that status with no body. */
  answer(path: string, body: string | number): void;
  close(): Promise<void>;
}

export async function startJwksServer(): Promise<JwksServer> {
  const answers = new Map<string, string | number>();
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const body = answers.get(path) ?? 404;
    if (typeof body === 'number') {
      res.writeHead(body).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    answer: (path, body) => answers.set(path, body),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function keySet(kid: string): string {
  return JSON.stringify({
    keys: [
      {
        kty: 'EC',
        crv: 'P-256',
        kid,
        x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
        y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
      },
    ],
  });
}

/** A RequestAuthentication naming `jwksUri`, or the issuer alone (OpenID discovery) when it is undefined. */
export function requestAuthentication(
  name: string,
  issuer: string,
  jwksUri: string | undefined,
): RequestAuthentication {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'RequestAuthentication',
    metadata: { name, namespace: 'shop' },
    spec: { jwtRules: [{ issuer, ...(jwksUri ? { jwksUri } : {}) }] },
  };
}
