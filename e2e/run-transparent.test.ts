// `heddle run --capture transparent`: two workloads, each in a network namespace `heddle run` makes, with
// Istio's iptables capture and the sidecar as uid 1337. The client app calls the server's service VIP with
// plain http.get and no proxy settings; its sidecar applies the VirtualService; both sidecars log the request.
// The client's exit code comes back through `heddle run`; SIGTERM ends the server; afterwards no namespace,
// veth, bridge or registration is left. Linux and root only.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { silentLogger, startControlPlane, type ControlPlane } from '@heddle/control-plane';
import { isRoot, withoutProxyVariables } from './support/netns.ts';

const execFileAsync = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const NODE = process.execPath;
const HEDDLE = join(ROOT, 'packages/cli/bin/heddle.ts');
const ADDON = join(ROOT, 'packages/proxy/native/build/original_dst.node');

const SERVER_HOST = 'server.demo.svc.cluster.local';
/** The service's VIP: no host has it; only the client's capture makes a connection to it go anywhere. */
const SERVER_VIP = '10.214.7.10';
const SERVER_PORT = 8080;
/** What the client app exits with when everything it saw was right: distinct, so that it is clearly its own. */
const CLIENT_OK = 42;

const skipReason =
  process.platform !== 'linux'
    ? '`heddle run --capture transparent` needs Linux network namespaces'
    : !isRoot()
      ? '`heddle run --capture transparent` needs root (ip netns, iptables); run this test as root'
      : false;

function meshConfig(): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
    accessLogFile: /dev/stdout
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: server, namespace: demo }
spec:
  hosts: [${SERVER_HOST}]
  addresses: [${SERVER_VIP}]
  ports: [{ number: ${SERVER_PORT}, name: http, protocol: HTTP }]
  location: MESH_INTERNAL
  resolution: STATIC
  workloadSelector: { labels: { app: server } }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: server, namespace: demo }
spec:
  hosts: [${SERVER_HOST}]
  http:
    - headers:
        request: { set: { x-heddle-route: server-vs } }
        response: { set: { x-routed-by: server-vs } }
      route: [{ destination: { host: ${SERVER_HOST} } }]
`;
}

/** Answers with the path, the caller's address and the request headers. */
const SERVER_APP = `
import { createServer } from 'node:http';
const server = createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ path: req.url, remoteAddress: req.socket.remoteAddress, headers: req.headers }));
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('server listening on ' + process.env.PORT));
process.on('SIGTERM', () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
`;

/**
 * Checks that the server's address is on its own link (no gateway) before calling anything, then calls the
 * VIP with plain http.get (retrying while the server's endpoint reaches its sidecar), prints what it saw
 * and its sidecar's request count, and exits ${CLIENT_OK} when the VirtualService's headers came through.
 */
const CLIENT_APP = `
import { execFileSync } from 'node:child_process';
import { get } from 'node:http';
const [vip, host, port, serverAddress] = process.argv.slice(2);
const route = execFileSync('ip', ['route', 'get', serverAddress], { encoding: 'utf8' });
if (/\\svia\\s/.test(route)) { console.error('route to the server goes through a gateway: ' + route); process.exit(5); }
const call = (options) => new Promise((resolve) => {
  get(options, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => (body += chunk));
    res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
  }).on('error', (error) => resolve({ status: 0, error: error.message })).setTimeout(5000, function () { this.destroy(new Error('timeout')); });
});
let reply;
for (let attempt = 0; attempt < 40; attempt++) {
  reply = await call({ host: vip, port: Number(port), path: '/hello', headers: { host } });
  if (reply.status === 200) break;
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const stats = await call({ host: '127.0.0.1', port: 15000, path: '/stats/prometheus' });
const requests = (stats.body ?? '').split('\\n').filter((line) => line.startsWith('istio_requests_total{'));
console.log(JSON.stringify({ reply, requests, proxyVariables: Object.keys(process.env).filter((name) => /_proxy$/i.test(name)) }));
const echo = reply.status === 200 ? JSON.parse(reply.body) : {};
process.exit(reply.headers?.['x-routed-by'] === 'server-vs' && echo.headers?.['x-heddle-route'] === 'server-vs' ? ${CLIENT_OK} : 1);
`;

interface Run {
  readonly child: ChildProcess;
  stderr(): string;
  stdout(): string;
  readonly exited: Promise<number | null>;
}

/** `heddle run` as a child of this test, with no proxy variables in its environment. */
function heddleRun(args: readonly string[], cwd: string): Run {
  const child = spawn(NODE, [HEDDLE, 'run', ...args], {
    cwd,
    env: { ...withoutProxyVariables(), NODE_TEST_CONTEXT: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-64_000)));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-64_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, stdout: () => stdout, exited };
}

async function waitFor(run: Run, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(run.stderr());
    if (match) return match;
    assert.ok(run.child.exitCode === null, `heddle run exited before ${pattern}:\n${run.stderr()}`);
    assert.ok(Date.now() < deadline, `no ${pattern} within ${timeoutMs} ms:\n${run.stderr()}`);
    await sleep(100);
  }
}

async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function ip(...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('ip', args, { timeout: 10_000 });
  return stdout;
}

async function bridgeExists(): Promise<boolean> {
  return ip('link', 'show', 'heddle0').then(
    () => true,
    () => false,
  );
}

/** SIGTERM by PID, SIGKILL after a grace period. */
async function stop(run: Run | undefined): Promise<void> {
  const child = run?.child;
  if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined)
      process.kill(child.pid, 'SIGKILL');
  }, 20_000);
  await run.exited;
  clearTimeout(timer);
}

describe('heddle run --capture transparent', { skip: skipReason, timeout: 300_000 }, () => {
  let dir: string | undefined;
  let cp: ControlPlane | undefined;
  let server: Run | undefined;
  let client: Run | undefined;
  let bridgeBefore = false;
  let common: string[] = [];

  before(async () => {
    assert.ok(existsSync(ADDON), `${ADDON} is missing: run \`npm run generate -w @heddle/proxy\` (needs cc)`);
    bridgeBefore = await bridgeExists();
    dir = await mkdtemp(join(tmpdir(), 'heddle-run-transparent-'));
    await writeFile(join(dir, 'server.mjs'), SERVER_APP);
    await writeFile(join(dir, 'client.mjs'), CLIENT_APP);
    cp = await startControlPlane({
      dataDir: join(dir, 'cp'),
      xdsAddress: '127.0.0.1:0',
      httpAddress: '127.0.0.1:0',
      logger: silentLogger,
      debounce: { quietMs: 10, maxDelayMs: 100 },
      instanceId: 'run-transparent-e2e',
    });
    const url = `http://127.0.0.1:${cp.httpPort}`;
    const applied = await fetch(`${url}/apis/v1/apply`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: meshConfig(),
    });
    assert.equal(applied.status, 200, await applied.text());
    common = [
      '--capture',
      'transparent',
      '--control-plane',
      url,
      '--xds-address',
      `127.0.0.1:${cp.xdsPort}`,
      '--data-dir',
      join(dir, 'heddle'),
      '-n',
      'demo',
    ];
  });

  after(async () => {
    await stop(client);
    await stop(server);
    await cp?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('routes a captured call from one workload to another by the VirtualService, then leaves nothing behind', async () => {
    assert.ok(dir && cp);
    server = heddleRun(
      [
        ...common,
        '--name',
        'server',
        '--labels',
        'app=server',
        '--port',
        `http=${SERVER_PORT}`,
        '--',
        NODE,
        join(dir, 'server.mjs'),
      ],
      dir,
    );
    const ready = await waitFor(
      server,
      /server\.demo is in the mesh: network namespace (\S+), address (\d+\.\d+\.\d+\.\d+)/,
      90_000,
    );
    const [, serverNamespace = '', serverAddress = ''] = ready;
    // Traffic to the server's namespace stays on the host's bridge: no gateway on the way.
    assert.doesNotMatch(await ip('route', 'get', serverAddress), /\svia\s/);
    assert.match(await ip('netns', 'list'), new RegExp(`^${serverNamespace}\\b`, 'm'));

    client = heddleRun(
      [
        ...common,
        '--name',
        'client',
        '--labels',
        'app=client',
        '--',
        NODE,
        join(dir, 'client.mjs'),
        SERVER_VIP,
        SERVER_HOST,
        String(SERVER_PORT),
        serverAddress,
      ],
      dir,
    );
    const clientReady = await waitFor(client, /client\.demo is in the mesh: network namespace (\S+)/, 90_000);
    const code = await within(client.exited, 90_000, 'the client');
    assert.equal(code, CLIENT_OK, `client stdout:\n${client.stdout()}\nstderr:\n${client.stderr()}`);
    const seen = JSON.parse(client.stdout().trim().split('\n').at(-1) ?? '{}') as {
      reply: { status: number; headers: Record<string, string>; body: string };
      requests: string[];
      proxyVariables: string[];
    };
    assert.deepEqual(seen.proxyVariables, [], 'the app got no proxy settings');
    assert.equal(seen.reply.status, 200);
    assert.equal(seen.reply.headers['x-routed-by'], 'server-vs');
    const echo = JSON.parse(seen.reply.body) as {
      path: string;
      remoteAddress: string;
      headers: Record<string, string>;
    };
    assert.equal(echo.path, '/hello');
    assert.equal(echo.headers['x-heddle-route'], 'server-vs');
    // The server's sidecar took the captured inbound connection and passed it on over loopback.
    assert.equal(echo.remoteAddress, '127.0.0.1');
    // Over mutual TLS: both sidecars (uid 1337) read their join token and got a certificate.
    assert.match(
      echo.headers['x-forwarded-client-cert'] ?? '',
      /URI=spiffe:\/\/[^;]+\/ns\/demo\/sa\/default/,
    );
    // The client's sidecar counted the request (Istio's metric, reported by the source).
    assert.ok(
      seen.requests.some(
        (line) => line.includes('reporter="source"') && line.includes(`destination_service="${SERVER_HOST}"`),
      ),
      `client sidecar stats:\n${seen.requests.join('\n')}`,
    );
    // The server's sidecar counted it too (its merged metrics, scraped from the host over the bridge).
    const metrics = await (await fetch(`http://${serverAddress}:15020/stats/prometheus`)).text();
    assert.match(metrics, /istio_requests_total\{[^}]*reporter="destination"[^}]*\} [1-9]/);
    // Both sidecars' access logs have the request.
    const logs = join(dir, 'heddle', 'logs');
    for (const name of ['client', 'server']) {
      const log = await readFile(join(logs, `sidecar-${name}.demo.log`), 'utf8');
      assert.match(log, /GET \/hello/, `the ${name} sidecar's log:\n${log.slice(-4000)}`);
    }
    // The client is gone with its namespace.
    const clientNamespace = clientReady[1] ?? '';
    assert.doesNotMatch(await ip('netns', 'list'), new RegExp(`^${clientNamespace}\\b`, 'm'));

    // SIGTERM goes to the server app, which exits 0; its namespace, veth and registration go with it.
    await stop(server);
    assert.equal(await server.exited, 0, server.stderr());
    const namespaces = await ip('netns', 'list');
    assert.doesNotMatch(namespaces, new RegExp(`^${serverNamespace}\\b`, 'm'));
    assert.doesNotMatch(await ip('-o', 'link', 'show'), /\shdl\d+[@:]/);
    if (!bridgeBefore)
      assert.equal(await bridgeExists(), false, 'the bridge is removed with its last workload');
    const url = `http://127.0.0.1:${cp.httpPort}`;
    const workloads = (await (await fetch(`${url}/apis/v1/workloads`)).json()) as { origin: string }[];
    assert.deepEqual(
      workloads.filter((workload) => workload.origin === 'registered'),
      [],
    );
  });
});
