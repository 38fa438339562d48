// Interop with an independent xDS client: @grpc/grpc-js-xds, fed by the control plane, sends real RPCs to echo servers.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import * as xds from '@grpc/grpc-js-xds';
import { silentLogger, startControlPlane, type ControlPlane, type ProxyStatus } from '@heddle/control-plane';

const HOST = 'echo.heddle.test';
const PORT = 7070;
const TARGET = `xds:///${HOST}:${PORT}`;
/** A DNS-resolved service: a LOGICAL_DNS cluster, which the gRPC client resolves itself. */
const DNS_HOST = 'dns-echo.heddle.test';
const DNS_PORT = 7071;
const NODE_ID = 'grpc-interop-client';
const ECHO = '/heddle.test.Echo/Echo';
const FLAKY = '/heddle.test.Echo/Flaky';
const FAULT_DELAY_MS = 400;
const ROUTE_TIMEOUT_MS = 300;

interface Reply {
  readonly id: string;
  /** Attempts the server saw for the request's `x-token`, this one included. */
  readonly attempts: number;
}

const encode = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const decode = (bytes: Buffer): Reply => JSON.parse(bytes.toString('utf8')) as Reply;

/** No .proto needed: JSON bodies through a hand-written service definition. */
const method = (path: string): grpc.MethodDefinition<unknown, Reply> => ({
  path,
  requestStream: false,
  responseStream: false,
  requestSerialize: encode,
  requestDeserialize: (bytes: Buffer) => JSON.parse(bytes.toString('utf8')) as unknown,
  responseSerialize: encode,
  responseDeserialize: decode,
});
const ECHO_SERVICE: grpc.ServiceDefinition = { Echo: method(ECHO), Flaky: method(FLAKY) };

interface EchoServer {
  readonly port: number;
  /** Attempts per `x-token`, as the server counted them. */
  readonly attempts: Map<string, number>;
  readonly server: grpc.Server;
}

/** `Flaky` fails the first attempt of every token with UNAVAILABLE; `x-sleep-ms` delays the answer. */
async function startEchoServer(id: string): Promise<EchoServer> {
  const attempts = new Map<string, number>();
  const server = new grpc.Server();
  const handler =
    (flaky: boolean): grpc.handleUnaryCall<unknown, Reply> =>
    (call, callback) => {
      const token = String(call.metadata.get('x-token')[0] ?? '');
      const count = (attempts.get(token) ?? 0) + 1;
      if (token !== '') attempts.set(token, count);
      if (flaky && count === 1) {
        callback({ code: grpc.status.UNAVAILABLE, details: 'first attempt fails' });
        return;
      }
      const sleepMs = Number(call.metadata.get('x-sleep-ms')[0] ?? 0);
      const reply = () => callback(null, { id, attempts: count });
      if (sleepMs > 0) setTimeout(reply, sleepMs).unref();
      else reply();
    };
  server.addService(ECHO_SERVICE, { Echo: handler(false), Flaky: handler(true) });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return { port, attempts, server };
}

function meshYaml(v1Port: number, v2Port: number): string {
  return `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: echo, namespace: default }
spec:
  hosts: [${HOST}]
  location: MESH_INTERNAL
  resolution: STATIC
  ports:
    - { number: ${PORT}, name: grpc-echo, protocol: GRPC }
  workloadSelector:
    labels: { app: echo }
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: echo-v1, namespace: default }
spec:
  address: 127.0.0.1
  ports: { grpc-echo: ${v1Port} }
  labels: { app: echo, version: v1 }
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: echo-v2, namespace: default }
spec:
  address: 127.0.0.1
  ports: { grpc-echo: ${v2Port} }
  labels: { app: echo, version: v2 }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: echo, namespace: default }
spec:
  host: ${HOST}
  trafficPolicy:
    connectionPool:
      http: { http2MaxRequests: 1000 }
    outlierDetection: { consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50 }
  subsets:
    - { name: v1, labels: { version: v1 } }
    - name: v2
      labels: { version: v2 }
      trafficPolicy:
        loadBalancer: { consistentHash: { httpHeaderName: x-user } }
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: dns-echo, namespace: default }
spec:
  hosts: [${DNS_HOST}]
  location: MESH_EXTERNAL
  resolution: DNS
  ports:
    - { number: ${DNS_PORT}, name: grpc, protocol: GRPC }
  endpoints:
    - { address: localhost, ports: { grpc: ${v1Port} } }
`;
}

/**
 * The rules under test; `lastRoute` is the catch-all, which the live change swaps. The redirect would make a
 * gRPC client NACK the whole route configuration: the generator leaves it out (with a warning).
 */
function virtualServiceYaml(lastRoute: string): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: echo, namespace: default }
spec:
  hosts: [${HOST}]
  http:
    - name: moved
      match: [{ uri: { prefix: /heddle.test.Old/ } }]
      redirect: { uri: /heddle.test.Echo/Echo }
    - name: canary
      match: [{ headers: { x-canary: { exact: "true" } } }]
      route: [{ destination: { host: ${HOST}, subset: v2 } }]
    - name: abort
      match: [{ headers: { x-fault: { exact: abort } } }]
      fault: { abort: { httpStatus: 503, percentage: { value: 100 } } }
      route: [{ destination: { host: ${HOST}, subset: v1 } }]
    - name: delay
      match: [{ headers: { x-fault: { exact: delay } } }]
      fault: { delay: { fixedDelay: ${FAULT_DELAY_MS}ms, percentage: { value: 100 } } }
      route: [{ destination: { host: ${HOST}, subset: v1 } }]
    - name: timeout
      match: [{ headers: { x-test: { exact: timeout } } }]
      timeout: ${ROUTE_TIMEOUT_MS}ms
      route: [{ destination: { host: ${HOST}, subset: v1 } }]
    - name: flaky-no-retry
      match: [{ uri: { exact: ${FLAKY} }, headers: { x-retry: { exact: "off" } } }]
      retries: { attempts: 0 }
      route: [{ destination: { host: ${HOST}, subset: v1 } }]
    - name: flaky
      match: [{ uri: { prefix: ${FLAKY} } }]
      retries: { attempts: 3, retryOn: unavailable, backoff: 10ms }
      route: [{ destination: { host: ${HOST}, subset: v1 } }]
    - name: default
      route:
${lastRoute}
`;
}

const SPLIT_90_10 = `        - { destination: { host: ${HOST}, subset: v1 }, weight: 90 }
        - { destination: { host: ${HOST}, subset: v2 }, weight: 10 }`;
const ALL_TO_V2 = `        - { destination: { host: ${HOST}, subset: v2 } }`;

async function apply(cp: ControlPlane, yaml: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${cp.httpPort}/apis/v1/apply`, {
    method: 'POST',
    headers: { 'content-type': 'application/yaml' },
    body: yaml,
  });
  assert.equal(response.status, 200, await response.text());
}

interface CallResult {
  readonly reply?: Reply;
  readonly error?: grpc.ServiceError;
  readonly elapsedMs: number;
}

function call(
  client: grpc.Client,
  path: string,
  headers: Record<string, string> = {},
  deadlineMs = 10_000,
): Promise<CallResult> {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  const started = performance.now();
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      encode,
      decode,
      {},
      metadata,
      { deadline: Date.now() + deadlineMs },
      (error, reply) => {
        const elapsedMs = performance.now() - started;
        resolve(error ? { error, elapsedMs } : { ...(reply ? { reply } : {}), elapsedMs });
      },
    );
  });
}

/** Replies by server id; any failed RPC fails the test with its status. */
async function countIds(client: grpc.Client, total: number, headers: Record<string, string> = {}) {
  const counts: Record<string, number> = {};
  const batch = 100;
  for (let sent = 0; sent < total; sent += batch) {
    const results = await Promise.all(
      Array.from({ length: Math.min(batch, total - sent) }, () => call(client, ECHO, headers)),
    );
    for (const result of results) {
      assert.ok(result.reply, `RPC failed: ${result.error?.code} ${result.error?.details}`);
      counts[result.reply.id] = (counts[result.reply.id] ?? 0) + 1;
    }
  }
  return counts;
}

async function syncStatus(cp: ControlPlane): Promise<ProxyStatus | undefined> {
  const response = await fetch(`http://127.0.0.1:${cp.httpPort}/debug/syncz`);
  const statuses = (await response.json()) as ProxyStatus[];
  return statuses.find((status) => status.proxy === NODE_ID);
}

describe('interop with @grpc/grpc-js-xds (proxyless gRPC)', { timeout: 90_000 }, () => {
  let dataDir: string;
  let cp: ControlPlane;
  let v1: EchoServer;
  let v2: EchoServer;
  let client: grpc.Client;
  let tokens = 0;
  const token = () => `t${++tokens}`;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'heddle-grpc-xds-'));
    cp = await startControlPlane({
      dataDir,
      xdsAddress: '127.0.0.1:0',
      httpAddress: '127.0.0.1:0',
      logger: silentLogger,
      debounce: { quietMs: 10, maxDelayMs: 100 },
      instanceId: 'grpc-interop',
      // @grpc/grpc-js-xds sends no call credentials on its ADS stream: a proxyless client is let in from loopback.
      xdsAuth: 'loopback-exempt',
    });
    [v1, v2] = await Promise.all([startEchoServer('v1'), startEchoServer('v2')]);
    await apply(cp, meshYaml(v1.port, v2.port));
    await apply(cp, virtualServiceYaml(SPLIT_90_10));
    // The bootstrap is read when the first xds: channel is made, so it is set before that, in this process.
    process.env.GRPC_XDS_BOOTSTRAP_CONFIG = JSON.stringify({
      xds_servers: [
        {
          server_uri: `127.0.0.1:${cp.xdsPort}`,
          channel_creds: [{ type: 'insecure' }],
          server_features: ['xds_v3'],
        },
      ],
      node: { id: NODE_ID, locality: {}, metadata: { GENERATOR: 'grpc', NAMESPACE: 'default' } },
    });
    xds.register();
    client = new grpc.Client(TARGET, grpc.credentials.createInsecure());
  });

  after(async () => {
    client?.close();
    await Promise.all(
      [v1, v2].map((s) => s && new Promise<void>((resolve) => s.server.tryShutdown(() => resolve()))),
    );
    await cp?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('resolves the target through LDS/RDS/CDS/EDS and reaches an echo server', async () => {
    const first = await call(client, ECHO, {}, 20_000);
    if (!first.reply) {
      // A NACKed resource is the usual cause: say which, with the client's own words.
      const nacks = (await syncStatus(cp))?.types.flatMap((t) =>
        t.lastError ? [`${t.type}: ${t.lastError.message}`] : [],
      );
      assert.fail(
        `first RPC failed: ${first.error?.code} ${first.error?.details}; NACKs: ${JSON.stringify(nacks)}`,
      );
    }
    assert.ok(['v1', 'v2'].includes(first.reply.id));
  });

  it('splits 90/10 between the subsets over 1,000 RPCs', async () => {
    const counts = await countIds(client, 1000);
    const toV2 = counts.v2 ?? 0;
    // 10% of 1,000 is 100 with a standard deviation of about 9.5: ±4σ.
    assert.ok(toV2 >= 62 && toV2 <= 138, `v2 took ${toV2} of 1,000 (counts ${JSON.stringify(counts)})`);
    assert.equal((counts.v1 ?? 0) + toV2, 1000);
  });

  it('routes on a metadata header (to a RING_HASH subset hashing on x-user)', async () => {
    assert.deepEqual(await countIds(client, 50, { 'x-canary': 'true', 'x-user': 'ada' }), { v2: 50 });
  });

  it('reaches a DNS-resolved service through a LOGICAL_DNS cluster', async () => {
    const dnsClient = new grpc.Client(`xds:///${DNS_HOST}:${DNS_PORT}`, grpc.credentials.createInsecure());
    try {
      const result = await call(dnsClient, ECHO, {}, 30_000);
      assert.ok(result.reply, `RPC failed: ${result.error?.code} ${result.error?.details}`);
      assert.equal(result.reply.id, 'v1');
    } finally {
      dnsClient.close();
    }
  });

  it('injects an abort: HTTP 503 becomes UNAVAILABLE, and no server sees the RPC', async () => {
    const id = token();
    const result = await call(client, ECHO, { 'x-fault': 'abort', 'x-token': id });
    assert.equal(result.error?.code, grpc.status.UNAVAILABLE, `got ${result.error?.code ?? 'OK'}`);
    assert.equal(v1.attempts.get(id), undefined);
  });

  it('injects a fixed delay', async () => {
    const result = await call(client, ECHO, { 'x-fault': 'delay' });
    assert.ok(result.reply, `RPC failed: ${result.error?.code} ${result.error?.details}`);
    assert.ok(result.elapsedMs >= FAULT_DELAY_MS - 5, `took ${result.elapsedMs.toFixed(0)} ms`);
  });

  it('applies the route timeout as the RPC deadline', async () => {
    const result = await call(client, ECHO, { 'x-test': 'timeout', 'x-sleep-ms': '2000' });
    assert.equal(result.error?.code, grpc.status.DEADLINE_EXCEEDED, `got ${result.error?.code ?? 'OK'}`);
    assert.ok(result.elapsedMs < 1500, `took ${result.elapsedMs.toFixed(0)} ms`);
  });

  it('retries UNAVAILABLE as the route says, and not at all with attempts: 0', async () => {
    const retried = token();
    const result = await call(client, FLAKY, { 'x-token': retried });
    assert.ok(result.reply, `RPC failed: ${result.error?.code} ${result.error?.details}`);
    assert.equal(result.reply.attempts, 2);
    assert.equal(v1.attempts.get(retried), 2, 'the server saw the failed attempt and the retry');

    const once = token();
    const failed = await call(client, FLAKY, { 'x-token': once, 'x-retry': 'off' });
    assert.equal(failed.error?.code, grpc.status.UNAVAILABLE, `got ${failed.error?.code ?? 'OK'}`);
    assert.equal(v1.attempts.get(once), 1);
  });

  it('follows a VirtualService change applied live', async () => {
    await apply(cp, virtualServiceYaml(ALL_TO_V2));
    const deadline = Date.now() + 15_000;
    let shifted = false;
    while (!shifted && Date.now() < deadline) {
      // Under the old 90/10 split, 20 replies in a row from v2 has a chance of 1 in 10^20.
      shifted = (await countIds(client, 20)).v2 === 20;
      if (!shifted) await sleep(100);
    }
    assert.ok(shifted, 'RPCs did not move to v2 within 15 s');
    assert.deepEqual(await countIds(client, 200), { v2: 200 });
  });

  it('shows the client SYNCED, with nothing NACKed, in /debug/syncz', async () => {
    const deadline = Date.now() + 10_000;
    let status = await syncStatus(cp);
    const served = () => status?.types.filter((t) => ['LDS', 'RDS', 'CDS', 'EDS'].includes(t.type)) ?? [];
    while (Date.now() < deadline && !served().every((t) => t.status === 'SYNCED')) {
      await sleep(100);
      status = await syncStatus(cp);
    }
    assert.ok(status, `${NODE_ID} is not in /debug/syncz`);
    const rejected = status.types.filter((t) => t.rejects > 0 || t.lastError);
    assert.deepEqual(
      rejected.map((t) => `${t.type}: ${t.lastError?.message ?? ''}`),
      [],
      'the gRPC client NACKed nothing',
    );
    assert.deepEqual(
      served().map((t) => [t.type, t.status]),
      [
        ['CDS', 'SYNCED'],
        ['EDS', 'SYNCED'],
        ['LDS', 'SYNCED'],
        ['RDS', 'SYNCED'],
      ],
    );
  });
});
