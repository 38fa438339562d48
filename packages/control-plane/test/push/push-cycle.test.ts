// The push cycle translates the proxies a change can reach and skips the rest, always including proxies that
// have no translation yet or whose last translation failed, and translates everyone when it cannot tell.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sidecarNode } from '@heddle/testkit';
import type { MeshService, ProxyNode } from '@heddle/translate';
import { createPilotMetrics } from '../../src/metrics/pilot-metrics.ts';
import { MetricsRegistry } from '../../src/metrics/registry.ts';
import { MeshState } from '../../src/push/mesh-state.ts';
import type { ProxyTranslator } from '../../src/push/proxy-translator.ts';
import { createPushCycle } from '../../src/push/push-cycle.ts';
import { createPushMetrics } from '../../src/push/push-metrics.ts';
import type { PushBatch } from '../../src/push/push-queue.ts';
import { silentLogger } from '../../src/server/logger.ts';
import { MemoryConfigStore } from '../../src/store/memory-store.ts';
import type { ProxyResources } from '../../src/xds/proxy-resources.ts';
import type { ProxyConnection, PushContext, XdsStream } from '../../src/xds/xds-stream.ts';
import { FakeClock } from '../support/fake-clock.ts';

/** A connected proxy as the push cycle sees it, recording what it was pushed. */
class RecordingStream implements XdsStream {
  readonly pushes: PushContext[] = [];
  closed = false;
  resources: ProxyResources | undefined;
  readonly #node: ProxyNode;

  constructor(node: ProxyNode, translated: boolean) {
    this.#node = node;
    if (translated) this.resources = new Map();
  }

  get connection(): ProxyConnection {
    return { node: this.#node, resources: this.resources } as unknown as ProxyConnection;
  }

  push(resources: ProxyResources, context: PushContext): number {
    this.resources = resources;
    this.pushes.push(context);
    return 1;
  }

  close(): void {
    this.closed = true;
  }
}

function service(name: string, namespace: string, exportTo: readonly string[] = ['*']): MeshService {
  return {
    hostname: `${name}.${namespace}.svc.cluster.local`,
    namespace,
    name,
    ports: [{ name: 'http', number: 80, protocol: 'HTTP' }],
    resolution: 'STATIC',
    location: 'MESH_INTERNAL',
    addresses: [],
    exportTo,
    endpoints: [],
    origin: `ServiceEntry ${namespace}/${name}`,
  };
}

function setup() {
  let services: MeshService[] = [service('a', 'one', ['.']), service('b', 'two', ['.'])];
  const state = new MeshState({ store: new MemoryConfigStore(), services: () => services });
  const registry = new MetricsRegistry();
  const pushMetrics = createPushMetrics(registry);
  const translated: string[] = [];
  let failFor: string | undefined;
  const translate: ProxyTranslator = (node) => {
    translated.push(node.workloadName);
    return node.workloadName === failFor ? undefined : new Map();
  };
  const clock = new FakeClock();
  const metrics = createPilotMetrics(registry, 'test');
  const newCycle = () =>
    createPushCycle({
      state,
      streams: () => streams,
      translate,
      metrics,
      clock,
      logger: silentLogger,
      pushMetrics,
      yieldToIo: () => Promise.resolve(),
    });
  const cycle = newCycle();
  const streams = [
    new RecordingStream(sidecarNode({ name: 'one-1', namespace: 'one' }), true),
    new RecordingStream(sidecarNode({ name: 'two-1', namespace: 'two' }), true),
    new RecordingStream(sidecarNode({ name: 'two-2', namespace: 'two' }), false),
  ];
  const batch = (reason = 'service'): PushBatch => ({
    firstAt: clock.now(),
    reasons: new Map([[reason, 1]]),
  });
  return {
    state,
    streams,
    translated,
    pushMetrics,
    batch,
    newCycle: () => {
      const next = newCycle();
      return (b: PushBatch) => {
        translated.length = 0;
        return next(b);
      };
    },
    run: async (reason?: string) => {
      translated.length = 0;
      return cycle(batch(reason));
    },
    setServices: (next: MeshService[]) => (services = next),
    failFor: (name: string | undefined) => (failFor = name),
  };
}

describe('push cycle', () => {
  it('translates only the affected proxies and those without a translation, and counts the skipped', async () => {
    const t = setup();
    t.streams.push(new RecordingStream(sidecarNode({ name: 'two-3', namespace: 'two' }), true));
    // Every proxy was translated from the snapshot the cycle starts from.
    await t.state.rebuild();
    const cycle = t.newCycle();
    // A service of namespace one, visible there only, changes.
    t.setServices([{ ...service('a', 'one', ['.']), addresses: ['10.0.0.9'] }, service('b', 'two', ['.'])]);
    const summary = await cycle(t.batch());
    assert.deepEqual(t.translated, ['one-1', 'two-2']);
    assert.equal(summary.skipped, 2);
    assert.equal(summary.full, undefined);
    assert.equal(t.pushMetrics.proxiesSkipped.value(), 2);
    assert.equal(t.pushMetrics.proxiesTranslated.value(), 2);
    assert.equal(t.streams[0]?.pushes[0]?.changedAt, t.batch().firstAt);
  });

  it('translates a proxy whose last translation failed at the next push, even when unaffected', async () => {
    const t = setup();
    await t.run();
    t.failFor('two-1');
    t.setServices([service('a', 'one', ['.']), { ...service('b', 'two', ['.']), addresses: ['10.0.0.8'] }]);
    const failed = await t.run();
    assert.equal(failed.failed, 1);
    t.failFor(undefined);
    t.setServices([
      { ...service('a', 'one', ['.']), addresses: ['10.0.0.7'] },
      { ...service('b', 'two', ['.']), addresses: ['10.0.0.8'] },
    ]);
    await t.run();
    assert.deepEqual(t.translated, ['one-1', 'two-1']);
  });

  it('translates every proxy for the first snapshot and for a trigger it cannot diff', async () => {
    const t = setup();
    const first = await t.run();
    assert.equal(first.full, 'no snapshot every proxy was translated from');
    assert.equal(t.translated.length, 3);
    const unknown = await t.run('certificate');
    assert.equal(unknown.full, 'trigger certificate');
    assert.equal(t.translated.length, 3);
  });

  it('translates every proxy when the snapshot was rebuilt outside the push', async () => {
    const t = setup();
    await t.run();
    await t.state.rebuild();
    const summary = await t.run();
    assert.equal(summary.full, 'no snapshot every proxy was translated from');
    assert.equal(t.translated.length, 3);
  });

  it('leaves closed streams alone', async () => {
    const t = setup();
    t.streams[0]?.close();
    await t.run();
    assert.deepEqual(t.translated, ['two-1', 'two-2']);
  });
});
