// Two sidecars on loopback, each with its own fake control plane and both certified by one in-test mesh CA:
// a client sidecar (identity a) whose outbound listener reaches the server sidecar (identity b) over mTLS,
// and the server sidecar's inbound listener in front of an application that echoes what it was told.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogRegistry } from '../../../src/admin/logger.ts';
import type { Proxy } from '../../../src/config/proxy-runtime.ts';
import { startProxy } from '../../../src/proxy.ts';
import type { RotationPolicy } from '../../../src/security/rotation-schedule.ts';
import { parseBootstrap } from '../../../src/xds/bootstrap.ts';
import { call } from '../../admin/support/http.ts';
import { FakeAdsServer } from '../../xds/support/fake-ads.ts';
import { serveInbound, serveOutbound, serveRoots, type MtlsMode } from './mesh-xds.ts';
import { TestMeshCa } from './test-mesh-ca.ts';

export const IDENTITY_A = 'spiffe://cluster.local/ns/default/sa/a';
export const IDENTITY_B = 'spiffe://cluster.local/ns/default/sa/b';

export interface TwoSidecars {
  readonly ca: TestMeshCa;
  readonly adsA: FakeAdsServer;
  readonly adsB: FakeAdsServer;
  readonly a: Proxy;
  readonly b: Proxy;
  /** The client sidecar's outbound port (plaintext HTTP in). */
  readonly outboundPort: number;
  /** The server sidecar's inbound port (what other sidecars dial). */
  readonly inboundPort: number;
  /** Requests the application received, with the XFCC header each carried. */
  readonly appRequests: { readonly xfcc: string | undefined }[];
  close(): Promise<void>;
}

export interface TwoSidecarsOptions {
  readonly mode: MtlsMode;
  readonly ttlMs: number;
  /** Send `ROOTCA` over ADS (else the proxies use the root that came with their certificate). */
  readonly rootsOverAds?: boolean;
  readonly rotation?: Partial<RotationPolicy>;
  /** A new client→server connection (and handshake) for every request. */
  readonly freshConnections?: boolean;
}

const quiet = (): LogRegistry => new LogRegistry({ write: () => {} });

export async function startTwoSidecars(options: TwoSidecarsOptions): Promise<TwoSidecars> {
  const appRequests: { xfcc: string | undefined }[] = [];
  const app: Server = createServer((request, response) => {
    const xfcc = request.headers['x-forwarded-client-cert'];
    appRequests.push({ xfcc: typeof xfcc === 'string' ? xfcc : undefined });
    response.setHeader('x-seen-xfcc', typeof xfcc === 'string' ? xfcc : '-');
    response.end('app');
  });
  app.listen(0, '127.0.0.1');
  await once(app, 'listening');
  const appPort = (app.address() as AddressInfo).port;
  const ca = await TestMeshCa.start({ 'token-a': IDENTITY_A, 'token-b': IDENTITY_B }, options.ttlMs);
  const adsA = await FakeAdsServer.start();
  const adsB = await FakeAdsServer.start();
  if (options.rootsOverAds) {
    serveRoots(adsA, [ca.root.pem]);
    serveRoots(adsB, [ca.root.pem]);
  }
  serveInbound(adsB, options.mode, appPort);
  const start = (ads: FakeAdsServer, name: string, token: string): Promise<Proxy> =>
    startProxy(
      parseBootstrap({
        node: {
          id: `sidecar~127.0.0.1~${name}.default~default.svc.cluster.local`,
          metadata: { NAMESPACE: 'default', SERVICE_ACCOUNT: name },
        },
        controlPlane: { addresses: [ads.address] },
        admin: { port: 0 },
        health: { port: 0 },
        drainTimeout: '1s',
        ca: { address: ca.address, token, certificateTtl: `${Math.ceil(options.ttlMs / 1000)}s` },
      }),
      { logs: quiet(), ...(options.rotation ? { certificateRotation: options.rotation } : {}) },
    );
  const b = await start(adsB, 'b', 'token-b');
  await b.ready;
  const inboundPort = await listenerPort(b.adminPort, 'inbound_8080');
  serveOutbound(adsA, inboundPort, IDENTITY_B, options.freshConnections ? 1 : 0);
  const a = await start(adsA, 'a', 'token-a');
  await a.ready;
  const outboundPort = await listenerPort(a.adminPort, 'outbound_8080');
  return {
    ca,
    adsA,
    adsB,
    a,
    b,
    outboundPort,
    inboundPort,
    appRequests,
    close: async () => {
      await Promise.all([a.close(), b.close()]);
      await Promise.all([adsA.close(), adsB.close()]);
      ca.down();
      app.closeAllConnections();
      await new Promise<void>((resolve) => app.close(() => resolve()));
    },
  };
}

export async function listenerPort(adminPort: number, name: string): Promise<number> {
  const listeners = (await call(adminPort, '/listeners')).body;
  const port = Number(new RegExp(`^${name}::127\\.0\\.0\\.1:(\\d+)$`, 'm').exec(listeners)?.[1]);
  if (!(port > 0)) throw new Error(`listener ${name} is not bound: ${listeners}`);
  return port;
}

/** The serials of the certificates a proxy's `/certs` lists under `sds:<name>`. */
export async function certSerials(adminPort: number, name: string): Promise<string[]> {
  const body = JSON.parse((await call(adminPort, '/certs')).body) as {
    certificates?: {
      cert_chain?: { path: string; serial_number: string }[];
      ca_cert?: { path: string; serial_number: string }[];
    }[];
  };
  return (body.certificates ?? []).flatMap((entry) =>
    [...(entry.cert_chain ?? []), ...(entry.ca_cert ?? [])]
      .filter((detail) => detail.path === `sds:${name}`)
      .map((detail) => detail.serial_number),
  );
}
