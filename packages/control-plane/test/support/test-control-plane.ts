// Starts a control plane on loopback ports with a memory store, the fake translator and a short debounce.
import {
  MemoryConfigStore,
  silentLogger,
  startControlPlane,
  type ControlPlane,
  type ControlPlaneOptions,
} from '../../src/index.ts';
import { fakeTranslate } from './fake-translate.ts';

export async function startTestControlPlane(
  overrides: Partial<ControlPlaneOptions> = {},
): Promise<ControlPlane> {
  return startControlPlane({
    dataDir: '/nonexistent-unused',
    // Tests that need the CA pass `ca` and a real data directory.
    ca: false,
    store: new MemoryConfigStore(),
    xdsAddress: '127.0.0.1:0',
    httpAddress: '127.0.0.1:0',
    debounce: { quietMs: 5, maxDelayMs: 50 },
    logger: silentLogger,
    translate: fakeTranslate,
    instanceId: 'test-control-plane',
    ...overrides,
  });
}

export function apiUrl(cp: ControlPlane, path: string): string {
  return `http://127.0.0.1:${cp.httpPort}${path}`;
}

/** POST /apis/v1/apply and return the status and JSON body. */
export async function applyYamlText(cp: ControlPlane, yaml: string, file = 'test.yaml') {
  const response = await fetch(apiUrl(cp, `/apis/v1/apply?file=${encodeURIComponent(file)}`), {
    method: 'POST',
    headers: { 'content-type': 'application/yaml' },
    body: yaml,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function getJson<T = unknown>(
  cp: ControlPlane,
  path: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(apiUrl(cp, path));
  return { status: response.status, body: (await response.json()) as T };
}

export function serviceEntryYaml(name: string, namespace: string, port = 80): string {
  return `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  hosts: [${name}.${namespace}.example.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports:
  - number: ${port}
    name: http
    protocol: HTTP
`;
}
