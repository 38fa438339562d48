// Test helper: a small shop mesh for the proxy-status, proxy-config and x describe golden tests — two
// services with subsets, a canary split, a fault for one user, STRICT mTLS, an AuthorizationPolicy and an
// ingress Gateway routing to the frontend.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { applyYaml, type ControlPlane, type SyncStatus } from '@heddle/control-plane';

export const TESTDATA = join(import.meta.dirname, '..', 'testdata');

export async function applyShopMesh(plane: ControlPlane): Promise<void> {
  const text = await readFile(join(TESTDATA, 'shop-mesh.yaml'), 'utf8');
  const applied = await applyYaml(plane.store, [{ name: 'shop-mesh.yaml', text }]);
  assert.equal(applied.code, undefined, JSON.stringify(applied.findings));
  await plane.idle();
}

interface Syncz {
  readonly proxy: string;
  readonly types: readonly { readonly type: string; readonly status: SyncStatus }[];
}

/** Polls /debug/syncz until `ready` holds (bounded), so tables are read once every ACK has landed. */
export async function waitForSync(
  url: string,
  ready: (statuses: readonly Syncz[]) => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const statuses = (await (await fetch(`${url}/debug/syncz`)).json()) as Syncz[];
    if (ready(statuses)) return;
    if (Date.now() > deadline) assert.fail(`sync state not reached: ${JSON.stringify(statuses)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
