// Control-plane push scale: N services and M simulated ADS proxies against an in-process control plane; one
// VirtualService change, timed from the apply request to each proxy's new RDS version. Prints a table and JSON.
// Run: node bench/control-plane-push.ts [--proxies 1000] [--services 1000] [--rounds 3] [--namespaces 20]
//      [--no-sidecar-scope] [--herd] [--push-scope affected|all] [--timeout-s 600]
// --herd connects every proxy at once instead of in waves of 50; --push-scope all translates every proxy on
// every change (the behaviour before dependency analysis), for comparison.
import { create, fromBinary, type MessageInitShape } from '@bufbuild/protobuf';
import {
  credentials,
  makeGenericClientConstructor,
  status as Status,
  type ClientDuplexStream,
  type StatusObject,
} from '@grpc/grpc-js';
import { silentLogger, startControlPlane, type ControlPlane } from '@heddle/control-plane';
import { translateProxy, type MeshIndex, type MeshSnapshot, type ProxyNode } from '@heddle/translate';
import {
  aggregatedDiscoveryServiceDefinition,
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  ClusterSchema,
  DiscoveryRequestSchema,
  HTTP_CONNECTION_MANAGER_TYPE_URL,
  HttpConnectionManagerSchema,
  LISTENER_TYPE_URL,
  ListenerSchema,
  type NodeSchema,
  ROUTE_CONFIGURATION_TYPE_URL,
  type AggregatedDiscoveryServiceClient,
  type DiscoveryRequest,
  type DiscoveryResponse,
} from '@heddle/xds';
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const { values: args } = parseArgs({
  options: {
    proxies: { type: 'string', default: '1000' },
    services: { type: 'string', default: '1000' },
    namespaces: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    'no-sidecar-scope': { type: 'boolean', default: false },
    herd: { type: 'boolean', default: false },
    'push-scope': { type: 'string', default: 'affected' },
    'timeout-s': { type: 'string', default: '600' },
  },
});
const PROXIES = Number(args.proxies);
const SERVICES = Number(args.services);
const NAMESPACES = Number(args.namespaces);
const ROUNDS = Number(args.rounds);
const SCOPED = !args['no-sidecar-scope'];
const TIMEOUT_MS = Number(args['timeout-s']) * 1000;
const HERD = args.herd;
const PUSH_SCOPE = args['push-scope'] === 'all' ? 'all' : 'affected';
const SHORT: Record<string, string> = {
  [CLUSTER_TYPE_URL]: 'CDS',
  [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]: 'EDS',
  [LISTENER_TYPE_URL]: 'LDS',
  [ROUTE_CONFIGURATION_TYPE_URL]: 'RDS',
};

// ---- the mesh ---------------------------------------------------------------------------------------------

const namespaceOf = (index: number): string => `ns-${String(index % NAMESPACES).padStart(2, '0')}`;
const hostOf = (service: number): string => `svc-${service}.${namespaceOf(service)}.svc.cluster.local`;

/** A ServiceEntry with two endpoints (v1, v2), a DestinationRule with both subsets, a 90/10 VirtualService. */
function serviceYaml(i: number): string {
  const ns = namespaceOf(i);
  const host = hostOf(i);
  const ip = `10.${1 + Math.floor(i / 250)}.${i % 250}`;
  return `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: svc-${i}, namespace: ${ns} }
spec:
  hosts: [${host}]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: 8080, name: http, protocol: HTTP }]
  endpoints:
    - { address: ${ip}.1, labels: { version: v1 } }
    - { address: ${ip}.2, labels: { version: v2 } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc-${i}, namespace: ${ns} }
spec:
  host: ${host}
  trafficPolicy: { connectionPool: { tcp: { maxConnections: 100 } } }
  subsets:
    - { name: v1, labels: { version: v1 } }
    - { name: v2, labels: { version: v2 } }
---
${virtualServiceYaml(i, 90)}`;
}

function virtualServiceYaml(i: number, v1Weight: number): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: svc-${i}, namespace: ${namespaceOf(i)} }
spec:
  hosts: [${hostOf(i)}]
  http:
    - route:
        - { destination: { host: ${hostOf(i)}, subset: v1 }, weight: ${v1Weight} }
        - { destination: { host: ${hostOf(i)}, subset: v2 }, weight: ${100 - v1Weight} }
      timeout: 5s
`;
}

/** Istio's scale advice: a Sidecar per namespace importing only that namespace's services. */
function sidecarYaml(namespace: number): string {
  return `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: ${namespaceOf(namespace)} }
spec:
  egress:
    - hosts: ["./*"]
`;
}

function meshYaml(): string {
  const documents = Array.from({ length: SERVICES }, (_, i) => serviceYaml(i));
  if (SCOPED) for (let n = 0; n < NAMESPACES; n++) documents.push(sidecarYaml(n));
  return documents.join('---\n');
}

// ---- the simulated proxies ----------------------------------------------------------------------------

const AdsClient = makeGenericClientConstructor(
  aggregatedDiscoveryServiceDefinition,
  'AggregatedDiscoveryService',
) as unknown as new (
  address: string,
  creds: ReturnType<typeof credentials.createInsecure>,
  options: Record<string, unknown>,
) => AggregatedDiscoveryServiceClient;

/** Why streams ended before the run did, with how often: `CODE: details`. */
const streamFailures = new Map<string, number>();

interface Arrival {
  readonly typeUrl: string;
  readonly version: string;
  readonly at: number;
}

/** One Envoy-like SotW client: CDS/LDS wildcard, then EDS/RDS for what those name; ACKs every response. */
class SimulatedProxy {
  readonly namespace: string;
  readonly versions = new Map<string, string>();
  arrivals: Arrival[] = [];
  /** Streams that failed (e.g. a connection reset while the control plane was busy) and were opened again. */
  restarts = 0;
  readonly #client: AggregatedDiscoveryServiceClient;
  readonly #node: MessageInitShape<typeof NodeSchema>;
  #call: ClientDuplexStream<DiscoveryRequest, DiscoveryResponse> | undefined;
  #names = new Map<string, string[]>();
  readonly #nonces = new Map<string, string>();
  #closed = false;

  constructor(port: number, index: number) {
    this.namespace = namespaceOf(index);
    const ip = `10.200.${Math.floor(index / 250)}.${(index % 250) + 1}`;
    // Its own connection, as a separate proxy would have, rather than grpc-js's shared subchannel.
    this.#client = new AdsClient(`127.0.0.1:${port}`, credentials.createInsecure(), {
      'grpc.use_local_subchannel_pool': 1,
      'grpc.max_receive_message_length': 256 * 1024 * 1024,
    });
    this.#node = {
      id: `sidecar~${ip}~client-${index}.${this.namespace}~${this.namespace}.svc.cluster.local`,
      metadata: { NAMESPACE: this.namespace, LABELS: { app: `client-${index}` } },
    };
    this.#open();
  }

  close(): void {
    this.#closed = true;
    this.#call?.cancel();
    this.#client.close();
  }

  /** A new stream asks for everything again, as Envoy does after a reconnect. */
  #open(): void {
    const call = this.#client.streamAggregatedResources();
    this.#call = call;
    this.#names = new Map([
      [CLUSTER_TYPE_URL, []],
      [LISTENER_TYPE_URL, []],
    ]);
    this.#nonces.clear();
    call.on('data', (response: DiscoveryResponse) => this.#onResponse(response));
    call.on('error', () => {});
    call.on('status', (status: StatusObject) => {
      if (this.#closed || this.#call !== call) return;
      const reason = `${Status[status.code]}: ${status.details.replace(/ \(\d{4}-[^)]*\)/g, '')}`;
      streamFailures.set(reason, (streamFailures.get(reason) ?? 0) + 1);
      // Envoy retries with jittered back-off; so does the simulated proxy.
      this.restarts++;
      setTimeout(() => this.#open(), 500 + Math.random() * 1000);
    });
    this.#request(CLUSTER_TYPE_URL, this.#node);
    this.#request(LISTENER_TYPE_URL);
  }

  #request(typeUrl: string, node?: MessageInitShape<typeof NodeSchema>): void {
    this.#call?.write(
      create(DiscoveryRequestSchema, {
        typeUrl,
        versionInfo: this.versions.get(typeUrl) ?? '',
        responseNonce: this.#nonces.get(typeUrl) ?? '',
        resourceNames: this.#names.get(typeUrl) ?? [],
        ...(node ? { node } : {}),
      }),
    );
  }

  #onResponse(response: DiscoveryResponse): void {
    const { typeUrl } = response;
    this.arrivals.push({ typeUrl, version: response.versionInfo, at: performance.now() });
    this.versions.set(typeUrl, response.versionInfo);
    this.#nonces.set(typeUrl, response.nonce);
    if (typeUrl === CLUSTER_TYPE_URL) this.#follow(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, edsNames(response));
    if (typeUrl === LISTENER_TYPE_URL) this.#follow(ROUTE_CONFIGURATION_TYPE_URL, rdsNames(response));
    this.#request(typeUrl);
  }

  /** Subscribes to the names a CDS/LDS response points at, when they changed. */
  #follow(typeUrl: string, names: string[]): void {
    const current = this.#names.get(typeUrl);
    if (current && current.join('\n') === names.join('\n')) return;
    this.#names.set(typeUrl, names);
    this.#request(typeUrl);
  }
}

function edsNames(response: DiscoveryResponse): string[] {
  return response.resources
    .map((any) => fromBinary(ClusterSchema, any.value))
    .filter(
      (c) =>
        c.clusterDiscoveryType.case === 'type' && c.clusterDiscoveryType.value === Cluster_DiscoveryType.EDS,
    )
    .map((c) => (c.edsClusterConfig?.serviceName ? c.edsClusterConfig.serviceName : c.name))
    .sort();
}

function rdsNames(response: DiscoveryResponse): string[] {
  const names = new Set<string>();
  for (const any of response.resources) {
    const listener = fromBinary(ListenerSchema, any.value);
    const chains = [
      ...listener.filterChains,
      ...(listener.defaultFilterChain ? [listener.defaultFilterChain] : []),
    ];
    for (const filter of chains.flatMap((chain) => chain.filters)) {
      if (filter.configType.case !== 'typedConfig') continue;
      if (filter.configType.value.typeUrl !== HTTP_CONNECTION_MANAGER_TYPE_URL) continue;
      const hcm = fromBinary(HttpConnectionManagerSchema, filter.configType.value.value);
      if (hcm.routeSpecifier.case === 'rds') names.add(hcm.routeSpecifier.value.routeConfigName);
    }
  }
  return [...names].sort();
}

// ---- measuring ------------------------------------------------------------------------------------------

interface TranslateSample {
  readonly at: number;
  readonly ms: number;
  /** The store revision of the snapshot translated: which push the call belongs to. */
  readonly revision: number;
}

const translations: TranslateSample[] = [];
/** translateProxy, timed: what the control plane spends per proxy before serializing. */
function timedTranslate(snapshot: MeshSnapshot, node: ProxyNode, index?: MeshIndex) {
  const started = performance.now();
  const output = translateProxy(snapshot, node, index);
  translations.push({ at: started, ms: performance.now() - started, revision: snapshot.revision });
  return output;
}

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}
const median = (values: readonly number[]): number => quantile(values, 0.5);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
const round1 = (value: number): number => Math.round(value * 10) / 10;

// Memory is read after a full collection, so it shows what is live rather than when the GC last ran.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function memory() {
  collectGarbage();
  const usage = process.memoryUsage();
  return { rssMiB: mib(usage.rss), heapUsedMiB: mib(usage.heapUsed) };
}

async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  deadline: number,
): Promise<void> {
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

interface SyncRow {
  readonly types: readonly { readonly type: string; readonly status: string }[];
}

let lastProgress = 0;

/** Every proxy SYNCED on CDS, EDS, LDS and RDS in /debug/syncz; prints progress to stderr when `started`. */
async function allSynced(cp: ControlPlane, started?: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${cp.httpPort}/debug/syncz`);
  const rows = (await response.json()) as SyncRow[];
  const synced = rows.filter((row) =>
    row.types.every((t) => t.type === 'SDS' || t.status === 'SYNCED'),
  ).length;
  if (started !== undefined && performance.now() - lastProgress > 15_000) {
    lastProgress = performance.now();
    const seconds = ((lastProgress - started) / 1000).toFixed(0);
    console.error(`  ${seconds} s: ${rows.length} connected, ${synced} SYNCED of ${PROXIES}`);
  }
  return synced === PROXIES;
}

/** Applies YAML through the config API; returns the store revision it committed. */
async function apply(cp: ControlPlane, yaml: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${cp.httpPort}/apis/v1/apply?file=bench.yaml`, {
    method: 'POST',
    headers: { 'content-type': 'application/yaml' },
    body: yaml,
  });
  if (response.status !== 200) throw new Error(`apply failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { revision: number }).revision;
}

interface RoundResult {
  readonly pushed: number;
  readonly expected: number;
  /** translateProxy calls the change caused (the proxies the push found affected). */
  readonly translated: number;
  readonly rdsUpdated: number;
  readonly responsesByType: Record<string, number>;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly translateMsPerProxy: { readonly p50: number; readonly p99: number; readonly mean: number };
  readonly translateLoopMs: number;
  /**
   * Per translated proxy, the loop's time beside translateProxy: serializing, hashing, comparing, writing, and
   * whatever ran in the event-loop turns between two proxies.
   */
  readonly otherMsPerProxy: number;
  /** The slowest GET /ready issued every 50 ms from the apply until the push settled. */
  readonly readyMaxMs: number;
  readonly memoryAfter: { readonly rssMiB: number; readonly heapUsedMiB: number };
}

/** Polls GET /ready every 50 ms until stopped; returns the slowest answer (ms). */
function probeReady(cp: ControlPlane): () => Promise<number> {
  let stopped = false;
  let worst = 0;
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      const response = await fetch(`http://127.0.0.1:${cp.httpPort}/ready`);
      await response.arrayBuffer();
      worst = Math.max(worst, performance.now() - started);
      await sleep(50);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return worst;
  };
}

/** Changes service `service`'s VirtualService weights and waits until the push has settled. */
async function measureChange(
  cp: ControlPlane,
  proxies: readonly SimulatedProxy[],
  service: number,
  v1Weight: number,
  deadline: number,
): Promise<RoundResult> {
  await cp.idle();
  const before = proxies.map((p) => p.versions.get(ROUTE_CONFIGURATION_TYPE_URL));
  for (const proxy of proxies) proxy.arrivals = [];
  const firstTranslation = translations.length;
  const started = performance.now();
  const stopProbe = probeReady(cp);
  const revision = await apply(cp, virtualServiceYaml(service, v1Weight));
  // The push of this change translates the proxies it affects, from a snapshot at (or after) its revision.
  const ofChange = () => translations.slice(firstTranslation).filter((t) => t.revision >= revision);
  await cp.idle();
  await waitFor('the push to translate', () => ofChange().length > 0, deadline);
  // Settled: every proxy ACKed what it was last sent, so every response of the push has arrived.
  await waitFor('every proxy to ACK the push', () => allSynced(cp), deadline);
  const readyMaxMs = await stopProbe();
  const latencies: number[] = [];
  const responsesByType: Record<string, number> = { CDS: 0, EDS: 0, LDS: 0, RDS: 0 };
  let pushed = 0;
  proxies.forEach((proxy, i) => {
    if (proxy.arrivals.length > 0) pushed++;
    for (const arrival of proxy.arrivals) responsesByType[SHORT[arrival.typeUrl] ?? '?']!++;
    const rds = proxy.arrivals.find(
      (a) => a.typeUrl === ROUTE_CONFIGURATION_TYPE_URL && a.version !== before[i],
    );
    if (rds) latencies.push(rds.at - started);
  });
  const samples = ofChange();
  const loopEnd = Math.max(...samples.map((s) => s.at + s.ms));
  return {
    pushed,
    translated: translations.length - firstTranslation,
    expected: SCOPED ? proxies.filter((p) => p.namespace === namespaceOf(service)).length : proxies.length,
    rdsUpdated: latencies.length,
    responsesByType,
    latencyMs: {
      p50: round1(median(latencies)),
      p99: round1(quantile(latencies, 0.99)),
      max: round1(Math.max(...latencies)),
    },
    translateMsPerProxy: {
      p50: round1(median(samples.map((s) => s.ms))),
      p99: round1(
        quantile(
          samples.map((s) => s.ms),
          0.99,
        ),
      ),
      mean: round1(samples.reduce((sum, s) => sum + s.ms, 0) / samples.length),
    },
    translateLoopMs: round1(loopEnd - (samples[0]?.at ?? loopEnd)),
    otherMsPerProxy: round1(
      (loopEnd - (samples[0]?.at ?? loopEnd) - samples.reduce((sum, s) => sum + s.ms, 0)) / samples.length,
    ),
    readyMaxMs: round1(readyMaxMs),
    memoryAfter: memory(),
  };
}

// ---- the run --------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const deadline = performance.now() + TIMEOUT_MS;
  const dataDir = mkdtempSync(join(tmpdir(), 'heddle-push-bench-'));
  const proxies: SimulatedProxy[] = [];
  let cp: ControlPlane | undefined;
  try {
    cp = await startControlPlane({
      dataDir,
      xdsAddress: '127.0.0.1:0',
      httpAddress: '127.0.0.1:0',
      logger: silentLogger,
      translate: timedTranslate,
      instanceId: 'push-bench',
      // Defaults otherwise (100 ms quiet, 1 s max); no write timeout, as 2 shared cores may stall a write.
      writeTimeoutMs: 0,
      pushScope: PUSH_SCOPE,
      // The simulated proxies carry no join token.
      xdsAuth: 'loopback-exempt',
    });
    const memoryStart = memory();
    const yaml = meshYaml();
    const applyStarted = performance.now();
    await apply(cp, yaml);
    await cp.idle();
    const applyMs = performance.now() - applyStarted;
    const memoryMesh = memory();

    const connectStarted = performance.now();
    for (let i = 0; i < PROXIES; i++) {
      proxies.push(new SimulatedProxy(cp.xdsPort, i));
      // Connect in waves, as proxies of a real rollout do, or all at once as after a control-plane restart.
      if (!HERD && i % 50 === 49) await sleep(20);
    }
    const control = cp;
    await waitFor('every proxy to be SYNCED', () => allSynced(control, connectStarted), deadline);
    const syncMs = performance.now() - connectStarted;
    const restartsToSync = proxies.reduce((sum, p) => sum + p.restarts, 0);
    const initial = translations.slice();
    const memorySynced = memory();

    const rounds: RoundResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A different service (and namespace) each round, its weights moving from 90/10 to 80/20.
      const weight = 80 - 10 * (Math.floor(round / SERVICES) % 8);
      rounds.push(await measureChange(cp, proxies, round % SERVICES, weight, deadline));
      await sleep(500);
    }
    const memoryEnd = memory();
    report({
      applyMs,
      syncMs,
      initial,
      rounds,
      memory: {
        'control plane started': memoryStart,
        'mesh applied, no proxies': memoryMesh,
        'all proxies SYNCED': memorySynced,
        'after the changes': memoryEnd,
      },
      yamlBytes: yaml.length,
      restarts: { toSync: restartsToSync, total: proxies.reduce((sum, p) => sum + p.restarts, 0) },
    });
  } finally {
    for (const proxy of proxies) proxy.close();
    await cp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Report {
  readonly applyMs: number;
  readonly syncMs: number;
  readonly initial: readonly TranslateSample[];
  readonly rounds: readonly RoundResult[];
  readonly memory: Record<string, { rssMiB: number; heapUsedMiB: number }>;
  readonly yamlBytes: number;
  /** Streams the simulated proxies had to open again: before all were SYNCED, and in the whole run. */
  readonly restarts: { readonly toSync: number; readonly total: number };
}

function report(r: Report): void {
  const med = (pick: (round: RoundResult) => number): number => round1(median(r.rounds.map(pick)));
  const initialMs = r.initial.map((s) => s.ms);
  const summary = {
    bench: 'control-plane-push',
    proxies: PROXIES,
    services: SERVICES,
    namespaces: NAMESPACES,
    sidecarScope: SCOPED,
    herd: HERD,
    pushScope: PUSH_SCOPE,
    machine: {
      cpus: availableParallelism(),
      model: cpus()[0]?.model.trim(),
      node: process.version,
      loadavg: loadavg().map(round1),
    },
    meshYamlMiB: mib(r.yamlBytes),
    initialApplyMs: round1(r.applyMs),
    connectToAllSyncedMs: round1(r.syncMs),
    streamRestarts: { ...r.restarts, reasons: Object.fromEntries(streamFailures) },
    initialTranslateMsPerProxy: { p50: round1(median(initialMs)), p99: round1(quantile(initialMs, 0.99)) },
    change: {
      rounds: r.rounds.length,
      pushedProxies: med((x) => x.pushed),
      expectedProxies: med((x) => x.expected),
      translated: med((x) => x.translated),
      rdsUpdated: med((x) => x.rdsUpdated),
      latencyMs: {
        p50: med((x) => x.latencyMs.p50),
        p99: med((x) => x.latencyMs.p99),
        max: med((x) => x.latencyMs.max),
      },
      translateMsPerProxy: {
        p50: med((x) => x.translateMsPerProxy.p50),
        p99: med((x) => x.translateMsPerProxy.p99),
        mean: med((x) => x.translateMsPerProxy.mean),
      },
      translateLoopMs: med((x) => x.translateLoopMs),
      otherMsPerProxy: med((x) => x.otherMsPerProxy),
      readyMaxMs: med((x) => x.readyMaxMs),
      perRound: r.rounds,
    },
    memory: r.memory,
  };
  const c = summary.change;
  /** Heap above the mesh-only baseline, per connected proxy (proxies' gRPC clients included). */
  const perProxyKiB = (label: string): number =>
    Math.round(
      (((r.memory[label]?.heapUsedMiB ?? 0) - (r.memory['mesh applied, no proxies']?.heapUsedMiB ?? 0)) *
        1024) /
        PROXIES,
    );
  const rows: [string, string][] = [
    [
      'mesh',
      `${SERVICES} services (SE + DR + VS) in ${NAMESPACES} namespaces, Sidecar scope ${SCOPED ? 'per namespace' : 'none'}`,
    ],
    [
      'proxies connected → all SYNCED',
      `${(r.syncMs / 1000).toFixed(1)} s (${PROXIES} proxies${HERD ? ' at once' : ' in waves of 50'}, ${r.restarts.toSync} streams reopened)`,
    ],
    [
      'initial translate per proxy',
      `p50 ${summary.initialTranslateMsPerProxy.p50} ms, p99 ${summary.initialTranslateMsPerProxy.p99} ms`,
    ],
    [
      'VS change: proxies pushed',
      `${c.pushedProxies} (expected ${c.expectedProxies}; new RDS ${c.rdsUpdated}; translated ${c.translated}, push scope ${PUSH_SCOPE})`,
    ],
    [
      'VS change: apply → new RDS',
      `p50 ${c.latencyMs.p50} ms, p99 ${c.latencyMs.p99} ms, max ${c.latencyMs.max} ms`,
    ],
    [
      'VS change: translate per proxy',
      `p50 ${c.translateMsPerProxy.p50} ms, p99 ${c.translateMsPerProxy.p99} ms, mean ${c.translateMsPerProxy.mean} ms`,
    ],
    ['VS change: push loop (translated proxies)', `${c.translateLoopMs} ms`],
    ['VS change: rest of the loop per proxy', `${c.otherMsPerProxy} ms`],
    ['VS change: slowest GET /ready meanwhile', `${c.readyMaxMs} ms`],
    [
      'heap per proxy (SYNCED, after changes)',
      `${perProxyKiB('all proxies SYNCED')} KiB, ${perProxyKiB('after the changes')} KiB`,
    ],
    ...Object.entries(r.memory).map(([label, m]): [string, string] => [
      `memory, ${label}`,
      `RSS ${m.rssMiB} MiB, heap ${m.heapUsedMiB} MiB`,
    ]),
  ];
  console.log(
    `control-plane push, medians of ${c.rounds} changes; ${summary.machine.cpus} CPUs, node ${process.version}, load ${summary.machine.loadavg.join(' ')}`,
  );
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
  console.log(JSON.stringify(summary));
}

await main();
