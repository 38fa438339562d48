// A mesh with real identities for the security e2e tests: a control plane with its CA (join tokens, ROOTCA over
// ADS) that may fetch JWKS from loopback issuers, server workloads (an application on loopback behind a sidecar
// that holds a CA-issued certificate) and client sidecars, each with its own namespace and service account.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { startControlPlane, silentLogger, type CaOptions, type ControlPlane } from '@heddle/control-plane';
import type { Proxy } from '@heddle/proxy';
import { apply, freePort, removeDir, tempDataDir, type Reply, type Target } from './mesh.ts';
import {
  joinToken,
  registerWithToken,
  startMtlsSidecar,
  type SidecarSpec as MtlsSidecarSpec,
} from './mtls-mesh.ts';
import { SEED_CONFIGS_DIR } from './seed-configs-dir.ts';
import { startUpstream, type Upstream } from './upstream.ts';

export interface SecureMesh {
  readonly cp: ControlPlane;
  apply(yaml: string): Promise<void>;
  close(): Promise<void>;
}

export interface SecureMeshOptions {
  readonly ca?: CaOptions;
}

/** A control plane with the CA on; JWKS on 127.0.0.1 is allowed (the tests run their issuers there). */
export async function startSecureMesh(prefix: string, options: SecureMeshOptions = {}): Promise<SecureMesh> {
  const dataDir = await tempDataDir(prefix);
  let cp: ControlPlane;
  try {
    cp = await startControlPlane({
      dataDir,
      xdsAddress: '127.0.0.1:0',
      httpAddress: '127.0.0.1:0',
      secureXdsAddress: false,
      logger: silentLogger,
      debounce: { quietMs: 10, maxDelayMs: 100 },
      instanceId: `security-${prefix}`,
      allowLoopbackJwks: true,
      jwks: { refreshIntervalMs: 60_000, initialRetryMs: 100, maxRetryMs: 1_000, fetchTimeoutMs: 2_000 },
      ...(options.ca ? { ca: options.ca } : {}),
    });
  } catch (error) {
    await removeDir(dataDir);
    throw error;
  }
  return {
    cp,
    apply: (yaml) => apply(cp, yaml),
    close: async () => {
      await cp.close();
      await removeDir(dataDir);
    },
  };
}

/** `{app}.{namespace}.svc.cluster.local`, the host a workload's ServiceEntry declares. */
export function serviceHost(app: string, namespace: string): string {
  return `${app}.${namespace}.svc.cluster.local`;
}

/** A mesh-internal service on port 80 (HTTP or TCP) whose endpoints are the workloads labelled `app: <app>`. */
export function meshService(app: string, namespace: string, protocol: 'HTTP' | 'TCP' = 'HTTP'): string {
  return `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${app}, namespace: ${namespace} }
spec:
  hosts: [${serviceHost(app, namespace)}]
  location: MESH_INTERNAL
  resolution: STATIC
  ports:
    - { number: 80, name: ${protocol.toLowerCase()}, protocol: ${protocol} }
  workloadSelector:
    labels: { app: ${app} }
`;
}

interface SidecarSpec extends Omit<MtlsSidecarSpec, 'certificateTtlSeconds'> {
  /** The certificate lifetime the sidecar asks for (`ca.certificateTtl`); one hour by default. */
  readonly certificateTtl?: string;
}

function startSidecar(cp: ControlPlane, spec: SidecarSpec): Promise<Proxy> {
  const { certificateTtl = '3600s', ...rest } = spec;
  return startMtlsSidecar(cp, { ...rest, certificateTtlSeconds: ttlSeconds(certificateTtl) });
}

function ttlSeconds(text: string): number {
  const match = /^(\d+)s$/.exec(text);
  assert.ok(match, `certificate TTL ${text} is not <n>s`);
  return Number(match[1]);
}

/** A TCP application: greets each connection with `hello <app>\n`, then echoes. */
export interface TcpApp {
  readonly port: number;
  readonly counts: { connections: number };
  kill(): Promise<void>;
}

export async function startTcpApp(app: string): Promise<TcpApp> {
  const counts = { connections: 0 };
  const server: TcpServer = createTcpServer((socket) => {
    counts.connections += 1;
    socket.on('error', () => {});
    socket.write(`hello ${app}\n`);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    counts,
    kill: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.unref();
      await closed.catch(() => {});
    },
  };
}

export interface ServerWorkload {
  readonly name: string;
  readonly namespace: string;
  readonly host: string;
  /** The sidecar's inbound port (where mTLS and plaintext arrive). */
  readonly inboundPort: number;
  readonly proxy: Proxy;
  readonly http?: Upstream;
  readonly tcp?: TcpApp;
  close(): Promise<void>;
}

export interface ServerSpec {
  readonly app: string;
  readonly namespace: string;
  readonly serviceAccount?: string;
  readonly protocol?: 'HTTP' | 'TCP';
  readonly certificateTtl?: string;
}

/** A server workload: its ServiceEntry, its registration (with a join token), its application and sidecar. */
export async function startServer(mesh: SecureMesh, spec: ServerSpec): Promise<ServerWorkload> {
  const protocol = spec.protocol ?? 'HTTP';
  const http = protocol === 'HTTP' ? await startUpstream(spec.app, 'v1') : undefined;
  const tcp = protocol === 'TCP' ? await startTcpApp(spec.app) : undefined;
  const appPort = http?.port ?? tcp?.port ?? 0;
  const inboundPort = await freePort();
  const serviceAccount = spec.serviceAccount ?? spec.app;
  await mesh.apply(meshService(spec.app, spec.namespace, protocol));
  const token = await registerWithToken(mesh.cp, {
    name: `${spec.app}-1`,
    namespace: spec.namespace,
    address: '127.0.0.1',
    ports: { [protocol.toLowerCase()]: inboundPort },
    labels: { app: spec.app },
    serviceAccount,
  });
  const proxy = await startSidecar(mesh.cp, {
    workload: `${spec.app}-1`,
    namespace: spec.namespace,
    serviceAccount,
    labels: { app: spec.app },
    outboundPort: await freePort(),
    appPorts: `${inboundPort}=${appPort}`,
    token,
    ...(spec.certificateTtl ? { certificateTtl: spec.certificateTtl } : {}),
  });
  return {
    name: spec.app,
    namespace: spec.namespace,
    host: serviceHost(spec.app, spec.namespace),
    inboundPort,
    proxy,
    ...(http ? { http } : {}),
    ...(tcp ? { tcp } : {}),
    close: async () => {
      await proxy.close();
      await http?.kill();
      await tcp?.kill();
    },
  };
}

export interface ClientWorkload {
  readonly proxy: Proxy;
  /** The client sidecar's HTTP-proxy port. */
  readonly outboundPort: number;
  /** Absolute-URI requests through the client sidecar to `host` (HTTP_PROXY style). */
  to(host: string): Target;
  close(): Promise<void>;
}

export interface ClientSpec {
  readonly serviceAccount: string;
  readonly namespace: string;
  readonly certificateTtl?: string;
}

/** A client sidecar in `namespace` running as `serviceAccount`, with a token from POST /apis/v1/tokens. */
export async function startClient(mesh: SecureMesh, spec: ClientSpec): Promise<ClientWorkload> {
  const outboundPort = await freePort();
  const proxy = await startSidecar(mesh.cp, {
    workload: spec.serviceAccount,
    namespace: spec.namespace,
    serviceAccount: spec.serviceAccount,
    // Not the app label of any server: a client is selected by no server's policies.
    labels: { app: `${spec.serviceAccount}-client` },
    outboundPort,
    token: await joinToken(mesh.cp, spec.namespace, spec.serviceAccount),
    ...(spec.certificateTtl ? { certificateTtl: spec.certificateTtl } : {}),
  });
  return {
    proxy,
    outboundPort,
    to: (host) => ({ port: outboundPort, style: 'proxy', host }),
    close: () => proxy.close(),
  };
}

/** Reads a seed config as the user wrote it. */
export async function seed(file: string): Promise<string> {
  return readFile(join(SEED_CONFIGS_DIR, file), 'utf8');
}

/** The request headers the application saw (from the echo upstream's JSON answer). */
export function seenHeaders(reply: Reply): Record<string, string> {
  assert.equal(reply.status, 200, `expected 200, got ${reply.status}: ${reply.body}`);
  return (JSON.parse(reply.body) as { headers: Record<string, string> }).headers;
}

/** The path the application saw. */
export function seenPath(reply: Reply): string {
  assert.equal(reply.status, 200, `expected 200, got ${reply.status}: ${reply.body}`);
  return (JSON.parse(reply.body) as { path: string }).path;
}

/**
 * Repeats `produce` until `accept` holds `times` in a row (returning the last value), failing after `timeoutMs`.
 * Several in a row: after a listener update, pooled connections opened under the previous config keep it until
 * they drain (as in Envoy), so one answer under the new config does not mean every connection has it yet.
 */
export async function settle<T>(
  produce: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 15_000,
  times = 5,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let streak = 0;
  for (;;) {
    const value = await produce();
    streak = accept(value) ? streak + 1 : 0;
    if (streak >= times) return value;
    if (Date.now() >= deadline) assert.fail(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, streak > 0 ? 20 : 100));
  }
}

/** POST /apis/v1/apply, returning the status and the findings (a refusal is 422 with its findings). */
export async function applyForFindings(
  mesh: SecureMesh,
  yaml: string,
): Promise<{ status: number; codes: string[] }> {
  const response = await fetch(`http://127.0.0.1:${mesh.cp.httpPort}/apis/v1/apply`, {
    method: 'POST',
    headers: { 'content-type': 'application/yaml' },
    body: yaml,
  });
  const body = (await response.json()) as { findings?: { code?: string }[] };
  return { status: response.status, codes: (body.findings ?? []).map((f) => f.code ?? '') };
}
