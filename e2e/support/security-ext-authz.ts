// An external authorization service for the CUSTOM e2e tests (Istio's envoyExtAuthzHttp contract): it sees the
// original method and path with the headers the provider lets through, answers 200 to allow and 403 to deny,
// and records every check so the tests can see what it was asked.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ExtAuthzCheck {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Every header line as received, in order (repeated headers stay separate). */
  readonly rawHeaders: readonly string[];
}

export interface ExtAuthzServer {
  readonly port: number;
  readonly checks: ExtAuthzCheck[];
  close(): Promise<void>;
}

/** Allows a request whose every `x-ext-authz` value is `allow` (at least one); denies anything else. */
export async function startExtAuthz(): Promise<ExtAuthzServer> {
  const checks: ExtAuthzCheck[] = [];
  const server: Server = createServer((req, res) => {
    checks.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
    });
    const values: string[] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      if (req.rawHeaders[i]?.toLowerCase() === 'x-ext-authz')
        values.push(...(req.rawHeaders[i + 1] ?? '').split(',').map((v) => v.trim()));
    }
    const allowed = values.length > 0 && values.every((v) => v === 'allow');
    req.resume();
    if (allowed) res.writeHead(200, { 'x-ext-authz-verdict': 'allowed' }).end();
    else res.writeHead(403, { 'content-type': 'text/plain' }).end('denied by ext-authz');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    checks,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The meshConfig provider `name` pointing at the local service, and the ServiceEntry that registers it. */
export function extAuthzProvider(name: string, port: number): string {
  return `apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: { name: mesh, namespace: istio-system }
spec:
  meshConfig:
    extensionProviders:
      - name: ${name}
        envoyExtAuthzHttp:
          service: ext-authz.local
          port: ${port}
          timeout: 2s
          includeRequestHeadersInCheck: ["x-ext-authz"]
---
${loopbackServiceEntry('ext-authz', port, 'HTTP')}`;
}

/** A ServiceEntry `<name>.local` for an authorization service listening on 127.0.0.1:`port`. */
export function loopbackServiceEntry(name: string, port: number, protocol: 'HTTP' | 'GRPC'): string {
  return `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name}, namespace: istio-system }
spec:
  hosts: [${name}.local]
  location: MESH_EXTERNAL
  resolution: STATIC
  ports:
    - { number: ${port}, name: ${protocol.toLowerCase()}, protocol: ${protocol} }
  endpoints:
    - address: 127.0.0.1
`;
}
