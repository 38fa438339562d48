// The proxy translator translates each distinct node once per snapshot (a reconnecting proxy reuses its
// result), translates again after a rebuild, and counts a failure without throwing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sidecarNode } from '@heddle/testkit';
import { createPilotMetrics } from '../../src/metrics/pilot-metrics.ts';
import { MetricsRegistry } from '../../src/metrics/registry.ts';
import { MeshState } from '../../src/push/mesh-state.ts';
import { createProxyTranslator, type TranslateFn } from '../../src/push/proxy-translator.ts';
import { silentLogger } from '../../src/server/logger.ts';
import { MemoryConfigStore } from '../../src/store/memory-store.ts';
import { fakeTranslate } from '../support/fake-translate.ts';

describe('proxy translator', () => {
  it('shares a result between identical nodes of one snapshot, not across snapshots or nodes', async () => {
    const state = new MeshState({ store: new MemoryConfigStore(), services: () => [] });
    await state.rebuild();
    const calls: string[] = [];
    const counting: TranslateFn = (snapshot, node, index) => {
      calls.push(node.id);
      if (node.namespace === 'broken') throw new Error('boom');
      return fakeTranslate(snapshot, node, index);
    };
    const metrics = createPilotMetrics(new MetricsRegistry(), 'test');
    const translate = createProxyTranslator({ state, translate: counting, metrics, logger: silentLogger });
    const node = sidecarNode({ name: 'cart', namespace: 'shop' });
    const first = translate(node);
    assert.ok(first);
    assert.equal(translate({ ...node, labels: { ...node.labels } }), first);
    assert.notEqual(translate(sidecarNode({ name: 'cart', namespace: 'shop', ip: '10.0.0.2' })), first);
    assert.equal(calls.length, 2);
    await state.rebuild();
    assert.notEqual(translate(node), first);
    assert.equal(calls.length, 3);
    assert.equal(translate(sidecarNode({ namespace: 'broken' })), undefined);
    assert.equal(metrics.pushErrors.value({ type: 'translate' }), 1);
  });
});
