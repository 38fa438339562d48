// Helpers of the `heddle run` tests: a backend service in the mesh, and finding a sidecar's pid.
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ControlPlane } from '@heddle/control-plane';

export const BACKEND_HOST = 'backend.test.local';

export interface Backend {
  readonly port: number;
  readonly paths: string[];
}

/** A plain HTTP server on loopback, and the ServiceEntry + WorkloadEntry that put it in the mesh. */
export async function startBackend(t: TestContext, plane: ControlPlane, url: string): Promise<Backend> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.end('backend');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  const yaml = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: backend, namespace: default }
spec:
  hosts: [${BACKEND_HOST}]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: 80, name: http, protocol: HTTP }]
  workloadSelector: { labels: { app: backend } }
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: backend, namespace: default }
spec:
  address: 127.0.0.1
  ports: { http: ${port} }
  labels: { app: backend }
`;
  const response = await fetch(`${url}/apis/v1/apply`, {
    method: 'POST',
    headers: { 'content-type': 'application/yaml' },
    body: yaml,
  });
  if (response.status !== 200) throw new Error(`apply failed: ${await response.text()}`);
  await plane.idle();
  return { port, paths };
}

/** Pids of processes whose command line holds `text` (e.g. a sidecar's unique bootstrap path). */
export async function pidsWith(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const commandLine = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (commandLine.includes(text)) pids.push(Number(entry));
  }
  return pids;
}

/** One request through an explicit-capture sidecar's HTTP proxy port; status 0 when it fails. */
export async function viaProxy(outboundPort: number, path: string): Promise<number> {
  const { request } = await import('node:http');
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port: outboundPort, path: `http://${BACKEND_HOST}${path}`, timeout: 5_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return check();
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
