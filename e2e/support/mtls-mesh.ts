// Sidecars with real identities for the mTLS e2e: each asks the control plane's CA for its certificate with a
// join token (a workload registration's `joinToken`, or one from POST /apis/v1/tokens) and receives ROOTCA
// over ADS. The server sidecar fronts an application on loopback in explicit capture.
import assert from 'node:assert/strict';
import type { ControlPlane } from '@heddle/control-plane';
import { LogRegistry, startProxy, type Bootstrap, type Proxy } from '@heddle/proxy';
import { register } from './mesh.ts';

export interface SidecarSpec {
  readonly workload: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly outboundPort: number;
  /** `listen=app` pairs: an inbound port of the workload and where its application listens. */
  readonly appPorts?: string;
  readonly token: string;
  /** The certificate lifetime the sidecar asks for; one hour by default. */
  readonly certificateTtlSeconds?: number;
}

export async function joinToken(
  cp: ControlPlane,
  namespace: string,
  serviceAccount: string,
): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${cp.httpPort}/apis/v1/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ namespace, serviceAccount }),
  });
  const text = await response.text();
  assert.equal(response.status, 201, `token request failed: ${text}`);
  return (JSON.parse(text) as { token: string }).token;
}

/** Registers the workload as `heddle run` does and returns its join token. */
export async function registerWithToken(
  cp: ControlPlane,
  registration: Record<string, unknown>,
): Promise<string> {
  const { joinToken: token } = await register(cp, registration);
  assert.ok(token, 'the registration answer has no joinToken');
  return token;
}

export async function startMtlsSidecar(cp: ControlPlane, spec: SidecarSpec): Promise<Proxy> {
  const bootstrap: Bootstrap = {
    node: {
      id: `sidecar~127.0.0.1~${spec.workload}.${spec.namespace}~${spec.namespace}.svc.cluster.local`,
      cluster: `${spec.workload}.${spec.namespace}`,
      metadata: {
        NAMESPACE: spec.namespace,
        WORKLOAD_NAME: spec.workload,
        SERVICE_ACCOUNT: spec.serviceAccount,
        LABELS: { ...spec.labels },
        INSTANCE_IPS: '127.0.0.1',
        HEDDLE_CAPTURE: 'explicit',
        HEDDLE_OUTBOUND_PORT: String(spec.outboundPort),
        ...(spec.appPorts ? { HEDDLE_APP_PORTS: spec.appPorts } : {}),
      },
    },
    controlPlane: { addresses: [`127.0.0.1:${cp.xdsPort}`] },
    admin: { address: '127.0.0.1', port: 0 },
    health: { address: '127.0.0.1', port: 0 },
    drainTimeoutMs: 2000,
    concurrency: 1,
    // The CA answers on the xDS port; the address defaults to it.
    ca: {
      address: `127.0.0.1:${cp.xdsPort}`,
      token: spec.token,
      certificateTtlSeconds: spec.certificateTtlSeconds ?? 3600,
    },
  };
  const proxy = await startProxy(bootstrap, {
    logs: new LogRegistry({ level: (process.env.HEDDLE_E2E_LOGS as 'debug' | undefined) ?? 'error' }),
    backoff: { baseMs: 50, capMs: 500 },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 20_000)));
  const outcome = await Promise.race([proxy.ready.then(() => 'ready' as const), timeout]);
  clearTimeout(timer);
  if (outcome !== 'ready') {
    await proxy.close();
    assert.fail(
      `sidecar ${spec.workload}.${spec.namespace} did not become ready (certificate and config) within 20 s`,
    );
  }
  return proxy;
}

/** Repeats `produce` until `accept` holds for its result (returned), failing after `timeoutMs`. */
export async function until<T>(
  produce: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await produce();
    if (accept(value)) return value;
    if (Date.now() >= deadline) assert.fail(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
