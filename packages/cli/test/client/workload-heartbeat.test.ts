// heartbeatWorkload and keepWorkloadRegistered against a real control plane: renewals keep a 1 s lease alive,
// and a dropped registration is reported as lost.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError } from '../../src/cli-error.ts';
import { EXIT_CODES } from '../../src/exit-codes.ts';
import { heartbeatWorkload, keepWorkloadRegistered } from '../../src/client/workload-heartbeat.ts';
import { startTestControlPlane } from '../helpers/control-plane.ts';

async function register(url: string, name: string, leaseSeconds: number): Promise<number> {
  const response = await fetch(`${url}/apis/v1/workloads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      namespace: 'default',
      address: '127.0.0.1',
      leaseSeconds,
      labels: { app: name },
    }),
  });
  assert.equal(response.status, 201);
  return ((await response.json()) as { id: number }).id;
}

describe('workload heartbeat client', () => {
  it('renews a live registration and reports an unknown one as not renewed', async (t) => {
    const { url } = await startTestControlPlane(t);
    const id = await register(url, 'app-a', 60);
    const answer = await heartbeatWorkload(url, id);
    assert.ok(answer.renewed);
    assert.equal(answer.leaseSeconds, 60);
    assert.ok(answer.expiresAt > Date.now());
    assert.deepEqual(await heartbeatWorkload(url, id + 1000), { renewed: false });
  });

  it('fails with UNAVAILABLE when nothing listens', async () => {
    await assert.rejects(
      heartbeatWorkload('http://127.0.0.1:9', 1, 1_000),
      (error: unknown) => error instanceof CliError && error.exitCode === EXIT_CODES.UNAVAILABLE,
    );
  });

  it('keeps a 1 s lease alive past its expiry, and calls onLost once the registration is gone', async (t) => {
    const { url, plane } = await startTestControlPlane(t);
    const id = await register(url, 'app-b', 1);
    let lost = 0;
    const errors: unknown[] = [];
    const loop = keepWorkloadRegistered(url, id, {
      leaseSeconds: 1,
      onLost: () => lost++,
      onError: (error) => errors.push(error),
    });
    t.after(() => loop.stop());
    await sleep(2_500);
    assert.ok(
      plane.registry.workloads().some((w) => w.name === 'app-b'),
      'heartbeats renewed the lease',
    );
    assert.equal(lost, 0);
    assert.deepEqual(errors, []);

    // Deregistered behind its back: the next heartbeat gets 404 and the loop reports the loss.
    const removed = await fetch(`${url}/apis/v1/workloads/${id}`, { method: 'DELETE' });
    assert.equal(removed.status, 200);
    for (let waited = 0; lost === 0 && waited < 5_000; waited += 100) await sleep(100);
    assert.equal(lost, 1);
  });
});
