// The whole stack on loopback for the mesh e2e tests: a control plane on port 0 with a temp data dir, the
// TypeScript proxy started in-process as an ingress gateway or an explicit-capture sidecar, and a small
// HTTP client that talks to the gateway (Host header) or through the sidecar's HTTP-proxy port (absolute URI).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger, startControlPlane, type ControlPlane, type ProxyStatus } from '@heddle/control-plane';
import {
  LOG_LEVELS,
  LogRegistry,
  startProxy,
  type Bootstrap,
  type LogLevel,
  type Proxy,
} from '@heddle/proxy';

export const GATEWAY_ID = 'router~127.0.0.1~ingress.istio-system~istio-system.svc.cluster.local';
export const CLIENT_ID = 'sidecar~127.0.0.1~client.default~default.svc.cluster.local';

export async function tempDataDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `heddle-${prefix}-`));
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/**
 * A control plane on loopback; `xdsPort` pins the ADS port (a restart on the same port). Proxies without a join
 * token are let in from loopback; those with one (mTLS sidecars, a gateway that needs its credentials) are checked.
 */
export function controlPlane(dataDir: string, xdsPort = 0): Promise<ControlPlane> {
  return startControlPlane({
    dataDir,
    xdsAddress: `127.0.0.1:${xdsPort}`,
    httpAddress: '127.0.0.1:0',
    logger: silentLogger,
    debounce: { quietMs: 10, maxDelayMs: 100 },
    instanceId: 'mesh-e2e',
    xdsAuth: 'loopback-exempt',
  });
}

/** A join token for the ingress gateway's identity: credential secrets are served only to a proven gateway. */
export async function gatewayJoinToken(cp: ControlPlane): Promise<string> {
  assert.ok(cp.ca, 'the control plane runs without a CA');
  const issued = await cp.ca.tokens.issue({
    namespace: 'istio-system',
    serviceAccount: 'istio-ingressgateway-service-account',
  });
  return issued.token;
}

export async function apply(cp: ControlPlane, yaml: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${cp.httpPort}/apis/v1/apply`, {
    method: 'POST',
    headers: { 'content-type': 'application/yaml' },
    body: yaml,
  });
  assert.equal(response.status, 200, `apply failed: ${await response.text()}`);
}

/** What POST /apis/v1/workloads answers: the registration id and, when the CA runs, a join token. */
export interface WorkloadRegistration {
  readonly id: number;
  readonly joinToken?: string;
}

/** Registers a running workload as `heddle run` does. */
export async function register(
  cp: ControlPlane,
  registration: Record<string, unknown>,
): Promise<WorkloadRegistration> {
  const response = await fetch(`http://127.0.0.1:${cp.httpPort}/apis/v1/workloads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // A lease longer than any test: these registrations are not heartbeated.
    body: JSON.stringify({ leaseSeconds: 3600, ...registration }),
  });
  const text = await response.text();
  assert.equal(response.status, 201, `registration failed: ${text}`);
  return JSON.parse(text) as WorkloadRegistration;
}

/** Registers a running workload as `heddle run` does; returns the registration id. */
export async function registerWorkload(
  cp: ControlPlane,
  registration: Record<string, unknown>,
): Promise<number> {
  return (await register(cp, registration)).id;
}

export async function syncz(cp: ControlPlane): Promise<ProxyStatus[]> {
  const response = await fetch(`http://127.0.0.1:${cp.httpPort}/debug/syncz`);
  assert.equal(response.status, 200);
  return (await response.json()) as ProxyStatus[];
}

/** A port nobody listens on right now: bound on 127.0.0.1:0, then closed. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function bootstrap(id: string, metadata: Record<string, unknown>, xdsPort: number): Bootstrap {
  return {
    node: {
      id,
      cluster: `${String(metadata.WORKLOAD_NAME)}.${String(metadata.NAMESPACE)}`,
      metadata: metadata as Bootstrap['node']['metadata'],
    },
    controlPlane: { addresses: [`127.0.0.1:${xdsPort}`] },
    admin: { address: '127.0.0.1', port: 0 },
    health: { address: '127.0.0.1', port: 0 },
    drainTimeoutMs: 5_000,
    concurrency: 1,
  };
}

const PROXY_OPTIONS = {
  drainTimeoutMs: 5_000,
  // Reconnect fast when the control plane comes back (tests wait a bounded time for it).
  backoff: { baseMs: 50, capMs: 500 },
} as const;

/** Waits for the proxy's first config and bound listeners, bounded; closes it and fails if it never comes. */
async function whenReady(proxy: Proxy, what: string, timeoutMs = 20_000): Promise<Proxy> {
  const cancel = new AbortController();
  const timeout = sleep(timeoutMs, 'timeout' as const, { signal: cancel.signal }).catch(
    () => 'cancelled' as const,
  );
  const outcome = await Promise.race([proxy.ready.then(() => 'ready' as const), timeout]);
  cancel.abort();
  if (outcome !== 'ready') {
    const rejected = proxy.config;
    await proxy.close();
    assert.fail(`${what} did not become ready within ${timeoutMs} ms (config ${JSON.stringify(rejected)})`);
  }
  return proxy;
}

/**
 * An ingress gateway (role router, `istio: ingressgateway`); every listener is moved to 127.0.0.1:0. With a join
 * token (gatewayJoinToken) it proves its identity on the ADS stream and gets its credentialName secrets.
 */
export async function startGateway(xdsPort: number, token?: string): Promise<Proxy> {
  const config = bootstrap(
    GATEWAY_ID,
    {
      NAMESPACE: 'istio-system',
      WORKLOAD_NAME: 'ingress',
      SERVICE_ACCOUNT: 'istio-ingressgateway-service-account',
      LABELS: { istio: 'ingressgateway', app: 'istio-ingressgateway' },
      INSTANCE_IPS: '127.0.0.1',
    },
    xdsPort,
  );
  const proxy = await startProxy(
    token === undefined
      ? config
      : { ...config, ca: { address: `127.0.0.1:${xdsPort}`, token, certificateTtlSeconds: 3600 } },
    { ...PROXY_OPTIONS, logs: quietLogs(), bindAddressOverride: () => ({ address: '127.0.0.1', port: 0 }) },
  );
  return whenReady(proxy, 'the gateway');
}

/** An explicit-capture sidecar for the `client` workload, its HTTP proxy on `outboundPort`. */
export async function startClientSidecar(xdsPort: number, outboundPort: number): Promise<Proxy> {
  const proxy = await startProxy(
    bootstrap(
      CLIENT_ID,
      {
        NAMESPACE: 'default',
        WORKLOAD_NAME: 'client',
        SERVICE_ACCOUNT: 'client',
        LABELS: { app: 'client' },
        INSTANCE_IPS: '127.0.0.1',
        HEDDLE_CAPTURE: 'explicit',
        HEDDLE_OUTBOUND_PORT: String(outboundPort),
      },
      xdsPort,
    ),
    { ...PROXY_OPTIONS, logs: quietLogs() },
  );
  return whenReady(proxy, 'the client sidecar');
}

/** Proxy logs stay quiet unless HEDDLE_E2E_LOGS names a level (`debug`, `info` …). */
function quietLogs(): LogRegistry {
  const level = process.env.HEDDLE_E2E_LOGS;
  return new LogRegistry({ level: level !== undefined && isLogLevel(level) ? level : 'error' });
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export async function adminText(proxy: Proxy, path: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${proxy.adminPort}${path}`);
  assert.equal(response.status, 200, `admin ${path}: ${response.status}`);
  return response.text();
}

/**
 * The port a listener is bound on, from the admin `/listeners` output (`name::host:port`). A proxy can be
 * ready on a config pushed just before the resources that make this listener, so it is waited for a while.
 */
export async function boundPort(proxy: Proxy, listener: string, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let lines = (await adminText(proxy, '/listeners')).split('\n');
  let line = lines.find((l) => l.startsWith(`${listener}::`));
  while (!line && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    lines = (await adminText(proxy, '/listeners')).split('\n');
    line = lines.find((l) => l.startsWith(`${listener}::`));
  }
  assert.ok(line, `no listener ${listener} in /listeners:\n${lines.join('\n')}`);
  const port = Number(line.slice(line.lastIndexOf(':') + 1));
  assert.ok(port > 0, `listener ${listener} has no bound port: ${line}`);
  return port;
}

/** The value of a counter in the admin `/stats` text output (0 when absent). */
export async function statValue(proxy: Proxy, name: string): Promise<number> {
  const text = await adminText(
    proxy,
    `/stats?filter=${encodeURIComponent(`^${name.replace(/[.|]/g, '\\$&')}$`)}`,
  );
  const line = text.split('\n').find((l) => l.startsWith(`${name}: `));
  return line ? Number(line.slice(name.length + 2)) : 0;
}

export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly elapsedMs: number;
}

/** The upstream identity a 200 carries (`service-version`), else `<status>`. */
export function who(reply: Reply): string {
  if (reply.status !== 200) return String(reply.status);
  const identity = JSON.parse(reply.body) as { service: string; version: string };
  return `${identity.service}-${identity.version}`;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export function closeClients(): void {
  agent.destroy();
}

export interface Target {
  readonly port: number;
  /** `proxy`: an absolute-URI request (HTTP_PROXY style); `host`: origin-form with a Host header. */
  readonly style: 'proxy' | 'host';
  readonly host: string;
}

/** One request, bounded by `timeoutMs`; network errors come back as status 0 with the error text as body. */
export function call(
  target: Target,
  method: string,
  path: string,
  headers: Record<string, string | string[]> = {},
  timeoutMs = 10_000,
): Promise<Reply> {
  const started = performance.now();
  const failed = (error: unknown): Reply => ({
    status: 0,
    headers: {},
    body: String(error),
    elapsedMs: performance.now() - started,
  });
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        method,
        path: target.style === 'proxy' ? `http://${target.host}${path}` : path,
        headers: { host: target.host, ...headers },
        agent,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            elapsedMs: performance.now() - started,
          }),
        );
        res.on('error', (error) => resolve(failed(error)));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', (error) => resolve(failed(error)));
    req.end();
  });
}

/** One GET, as `call`. */
export function get(
  target: Target,
  path: string,
  headers: Record<string, string> = {},
  timeoutMs = 10_000,
): Promise<Reply> {
  return call(target, 'GET', path, headers, timeoutMs);
}

/** `total` GETs, `concurrency` at a time; counts by `who()`. */
export async function tally(
  target: Target,
  path: string,
  total: number,
  headers: Record<string, string> = {},
  concurrency = 50,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let sent = 0; sent < total; sent += concurrency) {
    const replies = await Promise.all(
      Array.from({ length: Math.min(concurrency, total - sent) }, () => get(target, path, headers)),
    );
    for (const reply of replies) counts[who(reply)] = (counts[who(reply)] ?? 0) + 1;
  }
  return counts;
}

/** Polls `check` every 100 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
}
