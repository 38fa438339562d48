// TLS with workers: the main process holds the SDS subscription and hands the certificate to both workers;
// connections on either worker present it, and a rotated certificate reaches both.
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import {
  CLUSTER_TYPE_URL,
  DownstreamTlsContextSchema,
  LISTENER_TYPE_URL,
  packAny,
  ROUTE_CONFIGURATION_TYPE_URL,
  SECRET_TYPE_URL,
  SecretSchema,
  TRANSPORT_SOCKETS,
} from '@heddle/xds';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { createTestPki, type KeyPair, type TestPki } from '../../../testkit/src/test-pki.ts';
import { FakeAdsServer } from '../xds/support/fake-ads.ts';
import {
  freePort,
  httpListener,
  killProxy,
  routesTo,
  staticCluster,
  startWorkerProxy,
  stats,
  waitFor,
  type WorkerProxy,
} from './support/worker-proxy.ts';

const SECRET = 'server-cert';

function certificateSecret(pair: KeyPair) {
  return create(SecretSchema, {
    name: SECRET,
    type: {
      case: 'tlsCertificate',
      value: {
        certificateChain: { specifier: { case: 'inlineString', value: pair.cert } },
        privateKey: { specifier: { case: 'inlineString', value: pair.key } },
      },
    },
  });
}

/** One HTTPS GET on a connection of its own; the serial number of the certificate the proxy presented. */
function tlsGet(port: number): Promise<{ status: number; serial: string }> {
  return new Promise((resolve, reject) => {
    const request = httpsGet(
      { host: '127.0.0.1', port, path: '/tls', agent: false, rejectUnauthorized: false },
      (response) => {
        const serial = (response.socket as TLSSocket).getPeerCertificate().serialNumber;
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, serial }));
      },
    );
    request.setTimeout(10_000, () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}

describe('heddle-proxy --concurrency 2 with SDS certificates', { timeout: 90_000 }, () => {
  let dir: string;
  let pki: TestPki;
  let upstream: Server;
  let ads: FakeAdsServer;
  let proxy: WorkerProxy;
  let listenerPort: number;
  let first: KeyPair;
  let second: KeyPair;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heddle-workers-sds-'));
    pki = createTestPki('workers');
    pki.ca('ca');
    first = pki.issue('first', 'ca', 'DNS:proxy.test');
    second = pki.issue('second', 'ca', 'DNS:proxy.test');
    upstream = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    listenerPort = await freePort();
    const listener = httpListener(listenerPort);
    const chain = listener.filterChains[0];
    assert.ok(chain);
    chain.transportSocket = {
      $typeName: 'envoy.config.core.v3.TransportSocket',
      name: TRANSPORT_SOCKETS.TLS,
      configType: {
        case: 'typedConfig',
        value: packAny(DownstreamTlsContextSchema, {
          commonTlsContext: { tlsCertificateSdsSecretConfigs: [{ name: SECRET }] },
        }),
      },
    };
    ads = await FakeAdsServer.start();
    ads.setResources(CLUSTER_TYPE_URL, [staticCluster('a', (upstream.address() as AddressInfo).port)]);
    ads.setResources(ROUTE_CONFIGURATION_TYPE_URL, [routesTo('a')]);
    ads.setResources(LISTENER_TYPE_URL, [listener]);
    ads.setResources(SECRET_TYPE_URL, [certificateSecret(first)]);
    proxy = await startWorkerProxy(dir, ads.address, { concurrency: 2 });
  });

  after(async () => {
    killProxy(proxy);
    await ads?.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
    pki?.remove();
  });

  const serialOf = (pair: KeyPair): string => new X509Certificate(pair.cert).serialNumber;

  const perWorker = async (): Promise<number[]> => {
    const values = await stats(proxy, 'worker_\\d+\\.downstream_cx_total$');
    const prefix = `listener.127.0.0.1_${listenerPort}`;
    return [0, 1].map((id) => values.get(`${prefix}.worker_${id}.downstream_cx_total`) ?? 0);
  };

  it('serves the SDS certificate from both workers, and the rotated one after a push', async () => {
    const batch = () => Promise.all(Array.from({ length: 30 }, () => tlsGet(listenerPort)));
    // The certificate may arrive just after the listener: wait until every connection gets it.
    await waitFor(
      async () =>
        (await batch().catch(() => undefined))?.every(
          (r) => r.status === 200 && r.serial === serialOf(first),
        ) === true,
      10_000,
      'the first certificate on every connection',
    );
    const before = await perWorker();
    assert.ok((await batch()).every((r) => r.status === 200 && r.serial === serialOf(first)));
    const middle = await perWorker();
    assert.ok(
      middle.every((count, id) => count > (before[id] ?? 0)),
      'both workers served TLS',
    );

    ads.setResources(SECRET_TYPE_URL, [certificateSecret(second)]);
    await waitFor(
      async () => (await batch()).every((r) => r.status === 200 && r.serial === serialOf(second)),
      10_000,
      'the rotated certificate on every connection',
    );
    const rotated = await perWorker();
    assert.ok((await batch()).every((r) => r.status === 200 && r.serial === serialOf(second)));
    const afterwards = await perWorker();
    assert.ok(
      afterwards.every((count, id) => count > (rotated[id] ?? 0)),
      'both workers present the rotated certificate',
    );
  });
});
