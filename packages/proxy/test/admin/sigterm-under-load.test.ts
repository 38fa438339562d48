// SIGTERM to a heddle-proxy process under a bounded load of keep-alive HTTP/1.1 and HTTP/2 clients:
// readiness fails at once, every request that had started completes, HTTP/1.1 answers carry
// `Connection: close`, HTTP/2 sessions get GOAWAY, and the process exits 0 once idle (well before the drain
// deadline); a request that outlives the deadline does not keep the process alive past it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect as h2connect, type ClientHttp2Session } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL } from '@heddle/xds';
import { request } from 'undici';
import { requestUntilClosed, type ShutdownOutcome } from '../support/keepalive-until-close.ts';
import { FakeAdsServer } from '../xds/support/fake-ads.ts';
import { forwardCluster, forwardListener, forwardRoutes } from './support/forwarding-resources.ts';
import { call, waitForStatus } from './support/http.ts';

const BIN = fileURLToPath(new URL('../../bin/heddle-proxy.ts', import.meta.url));
const HTTP1_CLIENTS = 4;
const HTTP2_SESSIONS = 2;
const STREAMS_PER_SESSION = 3;

type Outcome = ShutdownOutcome;

async function freePort(): Promise<number> {
  const { createServer: createTcp } = await import('node:net');
  const server = createTcp();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('heddle-proxy SIGTERM under load', { timeout: 60_000 }, () => {
  let dir: string;
  let upstream: Server;
  const upstreamSockets = new Set<Socket>();
  let ads: FakeAdsServer;
  let child: ChildProcess | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heddle-sigterm-'));
    upstream = createServer((req, res) => {
      // Slow enough that requests are always in flight when the signal comes; /stuck never answers.
      if (req.url?.startsWith('/stuck')) return;
      setTimeout(() => res.end(`done ${req.url}`), 120);
    });
    upstream.on('connection', (s: Socket) => {
      upstreamSockets.add(s);
      s.on('close', () => upstreamSockets.delete(s));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    ads = await FakeAdsServer.start();
    ads.setResources(CLUSTER_TYPE_URL, [forwardCluster((upstream.address() as AddressInfo).port)]);
    ads.setResources(LISTENER_TYPE_URL, [forwardListener()]);
    ads.setResources(ROUTE_CONFIGURATION_TYPE_URL, [forwardRoutes()]);
  });

  afterEach(() => {
    if (child?.exitCode === null && child.signalCode === null && child.pid !== undefined)
      process.kill(child.pid, 'SIGKILL');
    child = undefined;
  });

  after(async () => {
    await ads?.close();
    for (const s of upstreamSockets) s.destroy();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  async function startProxyProcess(drainTimeout: string) {
    const [adminPort, healthPort] = [await freePort(), await freePort()];
    const file = join(dir, `bootstrap-${adminPort}.yaml`);
    await writeFile(
      file,
      [
        'node:',
        '  id: sidecar~127.0.0.1~app.default~default.svc.cluster.local',
        'controlPlane:',
        `  addresses: ["${ads.address}"]`,
        `admin: {port: ${adminPort}}`,
        `health: {port: ${healthPort}}`,
        `drainTimeout: ${drainTimeout}`,
        '',
      ].join('\n'),
    );
    const proc = spawn(process.execPath, [BIN, '--bootstrap', file, '--log-level', 'warning'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = proc;
    let stderr = '';
    proc.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    await waitForStatus(healthPort, '/healthz/ready', 200, 15_000);
    const listeners = JSON.parse((await call(adminPort, '/listeners?format=json')).body) as {
      listener_statuses: { local_address: { socket_address: { port_value: number } } }[];
    };
    const port = listeners.listener_statuses[0]?.local_address.socket_address.port_value ?? 0;
    assert.ok(port > 0, 'the listener is bound');
    return { proc, exit, healthPort, url: `http://127.0.0.1:${port}`, stderr: () => stderr };
  }

  it('drains in-flight HTTP/1.1 and HTTP/2 requests, fails readiness at once, and exits when idle', async () => {
    const proxy = await startProxyProcess('8s');
    const outcomes: Outcome[] = [];
    let stop = false;

    const http1Loop = (client: number): Promise<void> =>
      requestUntilClosed(
        (i) => `${proxy.url}/h1/${client}/${i}`,
        outcomes,
        () => stop,
      );

    const goaways: Promise<void>[] = [];
    const sessions: ClientHttp2Session[] = [];
    const http2Loops = (session: ClientHttp2Session, name: number): Promise<void>[] => {
      let goaway = false;
      goaways.push(new Promise((resolve) => session.once('goaway', () => ((goaway = true), resolve()))));
      session.on('error', () => {});
      return Array.from({ length: STREAMS_PER_SESSION }, async (_, lane) => {
        for (let i = 0; !stop && !goaway; i++) {
          const outcome = await new Promise<Outcome>((resolve) => {
            let stream;
            try {
              stream = session.request({ ':path': `/h2/${name}/${lane}/${i}` });
            } catch (error) {
              resolve({ started: false, error: (error as { code?: string }).code ?? 'request' });
              return;
            }
            let status = 0;
            let body = '';
            stream.on('response', (h) => (status = Number(h[':status'])));
            stream.on('data', (c: Buffer) => (body += c.toString()));
            stream.on('end', () => resolve({ started: true, status, body }));
            // A stream the server refused with GOAWAY before processing it (REFUSED_STREAM) never started.
            stream.on('error', (error: Error & { code?: string }) =>
              resolve({
                started: stream.rstCode !== 7,
                error: `${error.code ?? error.message}/${stream.rstCode}`,
              }),
            );
          });
          outcomes.push(outcome);
          if (!outcome.started || outcome.error) return;
        }
      });
    };

    const loops: Promise<void>[] = [];
    for (let c = 0; c < HTTP1_CLIENTS; c++) loops.push(http1Loop(c));
    for (let s = 0; s < HTTP2_SESSIONS; s++) {
      const session = h2connect(proxy.url);
      sessions.push(session);
      loops.push(...http2Loops(session, s));
    }
    // A bounded warm-up: every client has completed requests before the signal.
    while (outcomes.filter((o) => o.status === 200).length < 30) await new Promise((r) => setTimeout(r, 20));

    const signalledAt = Date.now();
    proxy.proc.kill('SIGTERM');
    await waitForStatus(proxy.healthPort, '/healthz/ready', 503, 1000);
    const readinessFailedAfter = Date.now() - signalledAt;

    await Promise.all(goaways);
    const exitCode = await proxy.exit;
    const exitedAfter = Date.now() - signalledAt;
    stop = true;
    await Promise.all(loops);
    for (const session of sessions) session.destroy();

    assert.equal(exitCode, 0, proxy.stderr());
    assert.ok(readinessFailedAfter < 1000, `readiness failed after ${readinessFailedAfter} ms`);
    assert.ok(
      exitedAfter < 7000,
      `exited ${exitedAfter} ms after SIGTERM: before the 8 s deadline, once idle`,
    );
    const lost = outcomes.filter((o) => o.started && (o.error !== undefined || o.status !== 200));
    assert.deepEqual(lost, [], 'no request that had started failed');
    const completed = outcomes.filter((o) => o.status === 200);
    assert.ok(
      completed.every((o) => o.body?.startsWith('done /')),
      'every body arrived whole',
    );
    const closedHttp1 = outcomes.filter((o) => o.connectionClose === true).length;
    assert.equal(closedHttp1, HTTP1_CLIENTS, 'every HTTP/1.1 client was told Connection: close');
    assert.equal(proxy.stderr(), '');
  });

  it('exits at the drain deadline when a request does not finish', async () => {
    const proxy = await startProxyProcess('1s');
    const stuck = request(`${proxy.url}/stuck`, { headersTimeout: 10_000 }).then(
      (res) => res.statusCode,
      (error: { code?: string }) => error.code ?? 'error',
    );
    await new Promise((r) => setTimeout(r, 100));
    const signalledAt = Date.now();
    proxy.proc.kill('SIGTERM');
    assert.equal(await proxy.exit, 0);
    const exitedAfter = Date.now() - signalledAt;
    assert.ok(exitedAfter >= 900 && exitedAfter < 5000, `exited ${exitedAfter} ms after SIGTERM`);
    assert.notEqual(await stuck, 200);
  });
});
