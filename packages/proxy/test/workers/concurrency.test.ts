// `--concurrency 2`: two worker processes serve one listener (SO_REUSEPORT), fed by the main process's one
// ADS stream. Connections land on both workers, an update reaches both, a rejected update is NACKed once
// and changes neither, and the admin API's counters are the sum over the workers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL } from '@heddle/xds';
import { call } from '../admin/support/http.ts';
import { FakeAdsServer } from '../xds/support/fake-ads.ts';
import {
  freePort,
  freshGet,
  httpListener,
  killProxy,
  routesTo,
  staticCluster,
  STAT_PREFIX,
  startWorkerProxy,
  stats,
  waitFor,
  workerPids,
  type WorkerProxy,
} from './support/worker-proxy.ts';

const CONNECTIONS = 40;

describe('heddle-proxy --concurrency 2', { timeout: 90_000 }, () => {
  let dir: string;
  const upstreams: Server[] = [];
  let ads: FakeAdsServer;
  let proxy: WorkerProxy;
  let listenerPort: number;
  /** Requests sent through the proxy so far (each on a connection of its own). */
  let sent = 0;

  const upstream = async (name: string): Promise<number> => {
    const server = createServer((req, res) => res.end(`${name} ${req.url ?? ''}`));
    upstreams.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };

  const getMany = async (count: number): Promise<{ status: number; body: string }[]> => {
    const replies = [];
    // A few at a time: enough connections at once that both workers take some.
    for (let start = 0; start < count; start += 10) {
      const batch = Array.from({ length: Math.min(10, count - start) }, (_, i) =>
        freshGet(listenerPort, `/r/${start + i}`),
      );
      replies.push(...(await Promise.all(batch)));
      sent += batch.length;
    }
    return replies;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heddle-workers-'));
    const [portA, portB] = [await upstream('a'), await upstream('b')];
    listenerPort = await freePort();
    ads = await FakeAdsServer.start();
    ads.setResources(CLUSTER_TYPE_URL, [staticCluster('a', portA), staticCluster('b', portB)]);
    ads.setResources(ROUTE_CONFIGURATION_TYPE_URL, [routesTo('a')]);
    ads.setResources(LISTENER_TYPE_URL, [httpListener(listenerPort)]);
    proxy = await startWorkerProxy(dir, ads.address, { concurrency: 2, metricsMerge: true });
  });

  after(async () => {
    killProxy(proxy);
    await ads?.close();
    for (const server of upstreams) await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('runs two worker processes and reports them in /stats', async () => {
    assert.equal(workerPids(proxy).length, 2);
    const values = await stats(proxy, '^server\\.(concurrency|worker)');
    assert.equal(values.get('server.concurrency'), 2);
    assert.equal(values.get('server.worker.up{worker_id="0"}'), 1);
    assert.equal(values.get('server.worker.up{worker_id="1"}'), 1);
  });

  it('spreads connections over both workers', async () => {
    const replies = await getMany(CONNECTIONS);
    assert.ok(replies.every((reply) => reply.status === 200 && reply.body.startsWith('a /r/')));
    const values = await stats(proxy, 'worker_\\d+\\.downstream_cx_total$');
    const prefix = `listener.127.0.0.1_${listenerPort}`;
    const first = values.get(`${prefix}.worker_0.downstream_cx_total`) ?? 0;
    const second = values.get(`${prefix}.worker_1.downstream_cx_total`) ?? 0;
    assert.ok(first > 0 && second > 0, `worker 0 took ${first} connections, worker 1 took ${second}`);
    assert.equal(first + second, sent, 'every connection was taken by one of the workers');
  });

  it('puts an update in force in both workers', async () => {
    ads.setResources(ROUTE_CONFIGURATION_TYPE_URL, [routesTo('b')]);
    await ads.waitFor(
      (r) =>
        r.kind === 'ack' &&
        r.typeUrl === ROUTE_CONFIGURATION_TYPE_URL &&
        r.versionInfo === ads.version(ROUTE_CONFIGURATION_TYPE_URL),
    );
    // The ACK follows the main process's check; the workers apply it right after, within IPC latency.
    await waitFor(
      async () => (await getMany(CONNECTIONS)).every((r) => r.body.startsWith('b ')),
      5000,
      'route b everywhere',
    );
    const before = await stats(proxy, 'worker_\\d+\\.downstream_cx_total$');
    const replies = await getMany(CONNECTIONS);
    assert.ok(replies.every((reply) => reply.status === 200 && reply.body.startsWith('b /r/')));
    const afterwards = await stats(proxy, 'worker_\\d+\\.downstream_cx_total$');
    for (const name of before.keys())
      assert.ok((afterwards.get(name) ?? 0) > (before.get(name) ?? 0), `${name} served the new route`);
  });

  it('NACKs a bad update once, and both workers keep the config in force', async () => {
    const nacksBefore = ads.nacks(ROUTE_CONFIGURATION_TYPE_URL).length;
    ads.setResources(ROUTE_CONFIGURATION_TYPE_URL, [routesTo('a', { badRegex: true })]);
    const nack = await ads.waitFor((r) => r.kind === 'nack' && r.typeUrl === ROUTE_CONFIGURATION_TYPE_URL);
    assert.match(nack.errorDetail?.message ?? '', /lookaround/);
    const replies = await getMany(CONNECTIONS);
    assert.ok(replies.every((reply) => reply.status === 200 && reply.body.startsWith('b /r/')));
    assert.equal(ads.nacks(ROUTE_CONFIGURATION_TYPE_URL).length, nacksBefore + 1, 'one NACK for the update');
    const values = await stats(proxy, '^server\\.worker\\.up');
    assert.deepEqual([...values.values()], [1, 1], 'no worker was restarted over it');
  });

  it("stages a listener update in every worker and NACKs it with a worker's error", async () => {
    const nacksBefore = ads.nacks(LISTENER_TYPE_URL).length;
    const broken = httpListener(listenerPort);
    broken.name = 'broken';
    if (broken.address?.address.case === 'socketAddress') broken.address.address.value.address = 'not-an-ip';
    ads.setResources(LISTENER_TYPE_URL, [httpListener(listenerPort), broken]);
    const nack = await ads.waitFor((r) => r.kind === 'nack' && r.typeUrl === LISTENER_TYPE_URL);
    assert.match(nack.errorDetail?.message ?? '', /broken.*not-an-ip/);
    assert.equal(ads.nacks(LISTENER_TYPE_URL).length, nacksBefore + 1, 'one NACK for the update');
    const replies = await getMany(CONNECTIONS);
    assert.ok(replies.every((reply) => reply.status === 200 && reply.body.startsWith('b /r/')));
    const listeners = (await call(proxy.adminPort, '/listeners')).body.trim();
    assert.equal(listeners, `127.0.0.1_${listenerPort}::127.0.0.1:${listenerPort}`);
  });

  it('sums counters over the workers in /stats/prometheus and /clusters', async () => {
    await getMany(10);
    const prometheus = (await call(proxy.adminPort, '/stats/prometheus')).body;
    const total = new RegExp(
      `^envoy_http_downstream_rq_total\\{envoy_http_conn_manager_prefix="${STAT_PREFIX}"\\} (\\d+)$`,
      'm',
    ).exec(prometheus);
    assert.equal(Number(total?.[1]), sent, 'downstream_rq_total is every request sent');
    const merged = (await call(proxy.metricsMergePort ?? 0, '/stats/prometheus')).body;
    assert.ok(merged.includes(total?.[0] ?? 'missing'), 'the merged Prometheus port sums the workers too');
    const upstream = [
      ...prometheus.matchAll(/^envoy_cluster_upstream_rq_total\{envoy_cluster_name="(a|b)"\} (\d+)$/gm),
    ];
    assert.equal(
      upstream.reduce((sum, match) => sum + Number(match[2]), 0),
      sent,
      'the clusters forwarded every request',
    );
    const clusters = (await call(proxy.adminPort, '/clusters')).body;
    const hostTotals = [...clusters.matchAll(/^(?:a|b)::127\.0\.0\.1:\d+::rq_total::(\d+)$/gm)];
    assert.equal(
      hostTotals.reduce((sum, match) => sum + Number(match[1]), 0),
      sent,
    );
    const listeners = (await call(proxy.adminPort, '/listeners')).body.trim();
    assert.equal(listeners, `127.0.0.1_${listenerPort}::127.0.0.1:${listenerPort}`);
  });

  it('passes /logging changes on to the workers', async () => {
    const workerDebug = /\[debug\]\[main\]\[worker \d+\] applied 1 RouteConfiguration resources/g;
    const seen = (): number => proxy.stderr().match(workerDebug)?.length ?? 0;
    assert.equal(seen(), 0, "the workers start at the proxy's level, not debug");
    const changed = await call(proxy.adminPort, '/logging?main=debug', { method: 'POST' });
    assert.equal(changed.status, 200);
    ads.setResources(ROUTE_CONFIGURATION_TYPE_URL, [routesTo('a')]);
    await waitFor(() => Promise.resolve(seen() >= 2), 10_000, 'a debug line from each worker');
    await call(proxy.adminPort, '/logging?main=info', { method: 'POST' });
    const quiet = seen();
    ads.setResources(ROUTE_CONFIGURATION_TYPE_URL, [routesTo('b')]);
    await waitFor(
      async () => (await getMany(CONNECTIONS)).every((r) => r.body.startsWith('b ')),
      5000,
      'route b everywhere',
    );
    assert.equal(seen(), quiet, 'back at info, the workers say nothing at debug');
  });
});

describe('heddle-proxy --concurrency flag', () => {
  it('refuses a value that is not a whole number of workers, as bad usage', () => {
    const result = spawnSync(
      process.execPath,
      [
        fileURLToPath(new URL('../../bin/heddle-proxy.ts', import.meta.url)),
        '--bootstrap',
        'unused.yaml',
        '--concurrency',
        'two',
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--concurrency must be a whole number \(0: one worker per CPU\), not "two"/);
  });
});
