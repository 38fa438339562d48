// SIGTERM to a proxy running two workers under a bounded keep-alive load: readiness fails at once, both
// workers drain (every HTTP/1.1 client is told Connection: close), no request that had started is lost,
// and the main process exits 0 once the workers are idle, leaving no worker behind.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL } from '@heddle/xds';
import { waitForStatus } from '../admin/support/http.ts';
import { requestUntilClosed, type ShutdownOutcome } from '../support/keepalive-until-close.ts';
import { FakeAdsServer } from '../xds/support/fake-ads.ts';
import {
  freePort,
  httpListener,
  killProxy,
  routesTo,
  staticCluster,
  startWorkerProxy,
  stats,
  workerPids,
  type WorkerProxy,
} from './support/worker-proxy.ts';

const CLIENTS = 12;

type Outcome = ShutdownOutcome;

describe('heddle-proxy --concurrency 2: SIGTERM under load', { timeout: 90_000 }, () => {
  let dir: string;
  let upstream: Server;
  const upstreamSockets = new Set<Socket>();
  let ads: FakeAdsServer;
  let proxy: WorkerProxy | undefined;
  let listenerPort: number;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heddle-workers-sigterm-'));
    // Slow enough that requests are in flight on both workers when the signal comes.
    upstream = createServer((req, res) => void setTimeout(() => res.end(`done ${req.url ?? ''}`), 100));
    upstream.on('connection', (socket: Socket) => {
      upstreamSockets.add(socket);
      socket.on('close', () => upstreamSockets.delete(socket));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    listenerPort = await freePort();
    ads = await FakeAdsServer.start();
    ads.setResources(CLUSTER_TYPE_URL, [staticCluster('a', (upstream.address() as AddressInfo).port)]);
    ads.setResources(ROUTE_CONFIGURATION_TYPE_URL, [routesTo('a')]);
    ads.setResources(LISTENER_TYPE_URL, [httpListener(listenerPort)]);
  });

  after(async () => {
    killProxy(proxy);
    await ads?.close();
    for (const socket of upstreamSockets) socket.destroy();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('drains both workers, loses no started request, and exits 0', async () => {
    const running = await startWorkerProxy(dir, ads.address, { concurrency: 2, drainTimeout: '8s' });
    proxy = running;
    const pids = workerPids(running);
    assert.equal(pids.length, 2);
    const outcomes: Outcome[] = [];
    let stop = false;

    const client = (index: number): Promise<void> =>
      requestUntilClosed(
        (i) => `http://127.0.0.1:${listenerPort}/c/${index}/${i}`,
        outcomes,
        () => stop,
      );
    const loops = Array.from({ length: CLIENTS }, (_, index) => client(index));
    while (outcomes.filter((o) => o.status === 200).length < 3 * CLIENTS)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const perWorker = await stats(running, 'worker_\\d+\\.downstream_cx_active$');
    const active = [...perWorker.values()];
    assert.equal(active.length, 2);
    assert.equal(
      active.reduce((sum, value) => sum + value, 0),
      CLIENTS,
      'every client holds a connection',
    );
    assert.ok(
      active.every((value) => value > 0),
      `connections per worker: ${active.join('/')}`,
    );

    const signalledAt = Date.now();
    running.proc.kill('SIGTERM');
    await waitForStatus(running.healthPort, '/healthz/ready', 503, 1000);
    const exitCode = await running.exit;
    const exitedAfter = Date.now() - signalledAt;
    stop = true;
    await Promise.all(loops);

    assert.equal(exitCode, 0, running.stderr());
    assert.ok(
      exitedAfter < 7000,
      `exited ${exitedAfter} ms after SIGTERM: before the 8 s deadline, once idle`,
    );
    const lost = outcomes.filter((o) => o.started && (o.error !== undefined || o.status !== 200));
    assert.deepEqual(lost, [], 'no request that had started failed');
    assert.ok(outcomes.filter((o) => o.status === 200).every((o) => o.body?.startsWith('done /c/')));
    assert.equal(
      outcomes.filter((o) => o.connectionClose === true).length,
      CLIENTS,
      'every client was told Connection: close',
    );
    assert.deepEqual(
      pids.filter((pid) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      }),
      [],
      'no worker outlived the main process',
    );
    assert.equal(running.stderr(), '');
  });
});
