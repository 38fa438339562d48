// A worker process that dies (killed by PID) is started again from the config in force, while the other
// worker keeps serving and readiness stays up; the restarted worker takes connections again.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  startWorkerProxy,
  stats,
  waitFor,
  workerPids,
  type WorkerProxy,
} from './support/worker-proxy.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('heddle-proxy --concurrency 2: a worker dies', { timeout: 90_000 }, () => {
  let dir: string;
  let upstream: Server;
  let ads: FakeAdsServer;
  let proxy: WorkerProxy;
  let listenerPort: number;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heddle-worker-restart-'));
    upstream = createServer((req, res) => res.end(`ok ${req.url ?? ''}`));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    listenerPort = await freePort();
    ads = await FakeAdsServer.start();
    ads.setResources(CLUSTER_TYPE_URL, [staticCluster('a', (upstream.address() as AddressInfo).port)]);
    ads.setResources(ROUTE_CONFIGURATION_TYPE_URL, [routesTo('a')]);
    ads.setResources(LISTENER_TYPE_URL, [httpListener(listenerPort)]);
    proxy = await startWorkerProxy(dir, ads.address, { concurrency: 2 });
  });

  after(async () => {
    killProxy(proxy);
    await ads?.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  const batch = (count: number) =>
    Promise.all(Array.from({ length: count }, (_, i) => freshGet(listenerPort, `/n/${i}`)));
  const perWorker = async (): Promise<number[]> => {
    const values = await stats(proxy, 'worker_\\d+\\.downstream_cx_total$');
    const prefix = `listener.127.0.0.1_${listenerPort}`;
    return [0, 1].map((id) => values.get(`${prefix}.worker_${id}.downstream_cx_total`) ?? 0);
  };

  it('restarts the worker with the config in force; the other serves meanwhile', async () => {
    const pids = workerPids(proxy);
    assert.equal(pids.length, 2);
    const victim = pids[0] as number;
    assert.ok((await batch(20)).every((reply) => reply.status === 200));

    process.kill(victim, 'SIGKILL');
    await waitFor(() => Promise.resolve(!alive(victim)), 5000, 'the killed worker to be gone');
    // Until the replacement is up, the surviving worker takes every connection and readiness holds.
    const meanwhile = await batch(20);
    assert.deepEqual(
      meanwhile.filter((reply) => reply.status !== 200),
      [],
      'every request after the crash was served',
    );
    assert.equal((await call(proxy.healthPort, '/healthz/ready')).status, 200, 'still ready');

    await waitFor(
      async () => {
        const values = await stats(proxy, '^server\\.worker\\.');
        const restarts =
          (values.get('server.worker.restarts{worker_id="0"}') ?? 0) +
          (values.get('server.worker.restarts{worker_id="1"}') ?? 0);
        return (
          restarts === 1 &&
          values.get('server.worker.up{worker_id="0"}') === 1 &&
          values.get('server.worker.up{worker_id="1"}') === 1
        );
      },
      15_000,
      'the worker to be restarted and serving',
    );
    const now = workerPids(proxy);
    assert.equal(now.length, 2);
    assert.ok(!now.includes(victim), 'a new process took the dead one’s place');
    assert.ok(now.includes(pids[1] as number), 'the other worker kept running');

    // The new worker has the listener and routes: both workers take connections again.
    const before = await perWorker();
    const replies = await batch(40);
    assert.ok(replies.every((reply) => reply.status === 200 && reply.body.startsWith('ok /n/')));
    const afterwards = await perWorker();
    assert.ok(
      afterwards.every((count, id) => count > (before[id] ?? 0)),
      `connections per worker went from ${before.join('/')} to ${afterwards.join('/')}`,
    );
  });
});
