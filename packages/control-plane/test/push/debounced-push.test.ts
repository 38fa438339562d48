// The whole control plane with an injected clock: a burst of applies becomes one push, sent only when the
// debounce timer fires.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClusterSchema, CLUSTER_TYPE_URL, unpackAnyAs } from '@heddle/xds';
import type { ControlPlane } from '../../src/index.ts';
import { SotwClient, sidecarXdsNode } from '../support/ads-client.ts';
import { FakeClock } from '../support/fake-clock.ts';
import {
  applyYamlText,
  apiUrl,
  serviceEntryYaml,
  startTestControlPlane,
} from '../support/test-control-plane.ts';

describe('debounced pushes', { timeout: 20_000 }, () => {
  const clock = new FakeClock();
  let cp: ControlPlane;
  let client: SotwClient;

  before(async () => {
    cp = await startTestControlPlane({ clock, debounce: { quietMs: 100, maxDelayMs: 1000 } });
    client = new SotwClient(cp.xdsPort);
  });
  after(async () => {
    client.close();
    await cp.close();
  });

  it('coalesces three applies into one push when the quiet period has passed', async () => {
    client.send({ node: sidecarXdsNode('burst', 'burst'), typeUrl: CLUSTER_TYPE_URL });
    const first = await client.next();
    client.send({ typeUrl: CLUSTER_TYPE_URL, versionInfo: first.versionInfo, responseNonce: first.nonce });

    for (const name of ['a', 'b', 'c']) {
      assert.equal((await applyYamlText(cp, serviceEntryYaml(name, 'burst'))).status, 200);
      clock.advance(40);
    }
    assert.deepEqual(await client.responses.drain(100), [], 'nothing before the quiet period ends');
    clock.advance(100);
    const pushed = await client.next();
    assert.deepEqual(
      pushed.resources.map((any) => unpackAnyAs(any, ClusterSchema)?.name),
      [
        'BlackHoleCluster',
        'outbound|80||a.burst.example.com',
        'outbound|80||b.burst.example.com',
        'outbound|80||c.burst.example.com',
      ],
    );
    await cp.idle();
    assert.deepEqual(await client.responses.drain(100), [], 'one push for the burst');

    const metrics = await (await fetch(apiUrl(cp, '/metrics'))).text();
    assert.match(metrics, /^pilot_push_triggers\{type="config"\} 3$/m);
    // Events at 0, 40 and 80 ms; the flush comes after 100 quiet ms, at 180 ms.
    assert.match(metrics, /^pilot_debounce_time_count 1$/m);
    assert.match(metrics, /^pilot_debounce_time_sum 0\.18$/m);
  });
});
