// The one ConfigStore test suite: every backend runs it through its own factory and must pass all of it.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
// Straight from the store modules: the store must not depend on anything else loading.
import type { ChangeEvent, ConfigStore, ResourceInput } from '../../src/store/config-store.ts';
import { formatKey } from '../../src/store/resource-key.ts';

/** Opens a fresh, empty store whose creationTimestamps come from `now`. */
export type OpenStore = (now: () => Date) => Promise<ConfigStore>;

const T0 = new Date('2025-01-02T03:04:05.678Z');

export function serviceEntry(
  name: string,
  hosts: string[],
  extra: Partial<ResourceInput> = {},
): ResourceInput {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name, namespace: 'default' },
    spec: { hosts, ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] },
    ...extra,
  };
}

async function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.equal((error as { code?: unknown }).code, code);
    if (message) assert.match((error as Error).message, message);
    return true;
  });
}

export function runStoreContract(name: string, open: OpenStore): void {
  describe(`ConfigStore contract: ${name}`, () => {
    let store: ConfigStore;
    let now = T0;
    beforeEach(async () => {
      now = T0;
      store = await open(() => now);
    });
    afterEach(async () => {
      await store.close();
    });

    describe('create, read, update, delete', () => {
      it('creates a resource with the metadata the store owns', async () => {
        const result = await store.apply([serviceEntry('httpbin', ['httpbin.org'])]);
        assert.equal(result.revision, 1);
        assert.equal(result.results[0]?.outcome, 'created');
        const stored = await store.get('ServiceEntry', 'default', 'httpbin');
        assert.deepEqual(stored, {
          apiVersion: 'networking.istio.io/v1',
          kind: 'ServiceEntry',
          metadata: {
            name: 'httpbin',
            namespace: 'default',
            resourceVersion: '1',
            generation: 1,
            creationTimestamp: '2025-01-02T03:04:05Z',
          },
          spec: { hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] },
        });
      });

      it('returns undefined for a key that was never stored', async () => {
        assert.equal(await store.get('ServiceEntry', 'default', 'nope'), undefined);
      });

      it('ignores server-owned metadata sent by the caller', async () => {
        const input = serviceEntry('a', ['a.example']);
        await store.apply([
          {
            ...input,
            metadata: { ...input.metadata, resourceVersion: '99', generation: 7, creationTimestamp: 'x' },
          },
        ]);
        const stored = await store.get('ServiceEntry', 'default', 'a');
        assert.equal(stored?.metadata.resourceVersion, '1');
        assert.equal(stored?.metadata.generation, 1);
        assert.equal(stored?.metadata.creationTimestamp, '2025-01-02T03:04:05Z');
      });

      it('bumps generation on a spec change and keeps creationTimestamp', async () => {
        await store.apply([serviceEntry('a', ['a.example'])]);
        now = new Date('2025-02-01T00:00:00Z');
        const result = await store.apply([serviceEntry('a', ['a.example', 'b.example'])]);
        assert.equal(result.results[0]?.outcome, 'configured');
        const stored = await store.get('ServiceEntry', 'default', 'a');
        assert.equal(stored?.metadata.generation, 2);
        assert.equal(stored?.metadata.resourceVersion, '2');
        assert.equal(stored?.metadata.creationTimestamp, '2025-01-02T03:04:05Z');
      });

      it('keeps generation when only labels change, but gives a new resourceVersion', async () => {
        const input = serviceEntry('a', ['a.example']);
        await store.apply([input]);
        await store.apply([{ ...input, metadata: { ...input.metadata, labels: { team: 'payments' } } }]);
        const stored = await store.get('ServiceEntry', 'default', 'a');
        assert.equal(stored?.metadata.generation, 1);
        assert.equal(stored?.metadata.resourceVersion, '2');
        assert.deepEqual(stored?.metadata.labels, { team: 'payments' });
      });

      it('reports an identical object as unchanged without a new revision or event', async () => {
        await store.apply([serviceEntry('a', ['a.example'])]);
        const events: ChangeEvent[] = [];
        store.watch((batch) => events.push(...batch));
        const reordered: ResourceInput = {
          spec: { ports: [{ protocol: 'HTTP', name: 'http', number: 80 }], hosts: ['a.example'] },
          metadata: { namespace: 'default', name: 'a' },
          kind: 'ServiceEntry',
          apiVersion: 'networking.istio.io/v1',
        };
        const result = await store.apply([reordered]);
        assert.equal(result.results[0]?.outcome, 'unchanged');
        assert.equal(result.revision, 1);
        assert.equal(await store.revision(), 1);
        assert.deepEqual(events, []);
      });

      it('lists sorted by kind, namespace and name, filtered by kind and namespace', async () => {
        await store.apply([
          serviceEntry('b', ['b.example']),
          { ...serviceEntry('a', ['a.example']), metadata: { name: 'a', namespace: 'shop' } },
          serviceEntry('a', ['a.example']),
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
        ]);
        const all = await store.list();
        assert.equal(all.revision, 1);
        assert.deepEqual(
          all.items.map((r) =>
            formatKey({ kind: r.kind, namespace: r.metadata.namespace, name: r.metadata.name }),
          ),
          ['Namespace shop', 'ServiceEntry default/a', 'ServiceEntry default/b', 'ServiceEntry shop/a'],
        );
        const inShop = await store.list({ kind: 'ServiceEntry', namespace: 'shop' });
        assert.deepEqual(
          inShop.items.map((r) => r.metadata.name),
          ['a'],
        );
        assert.equal((await store.list({ kind: 'Namespace' })).items[0]?.metadata.namespace, '');
      });

      it('returns frozen objects and never shares the caller’s object', async () => {
        const input = serviceEntry('a', ['a.example']);
        await store.apply([input]);
        (input.spec as { hosts: string[] }).hosts.push('mutated.example');
        const stored = await store.get('ServiceEntry', 'default', 'a');
        assert.deepEqual((stored?.spec as { hosts: string[] }).hosts, ['a.example']);
        assert.ok(Object.isFrozen(stored) && Object.isFrozen(stored?.spec));
      });

      it('deletes existing keys, ignores missing ones, and returns what was deleted', async () => {
        await store.apply([serviceEntry('a', ['a.example']), serviceEntry('b', ['b.example'])]);
        const result = await store.delete([
          { kind: 'ServiceEntry', namespace: 'default', name: 'a' },
          { kind: 'ServiceEntry', namespace: 'default', name: 'missing' },
        ]);
        assert.equal(result.revision, 2);
        assert.deepEqual(
          result.deleted.map((r) => r.metadata.name),
          ['a'],
        );
        assert.equal(await store.get('ServiceEntry', 'default', 'a'), undefined);
        assert.ok(await store.get('ServiceEntry', 'default', 'b'));
      });

      it('does not advance the revision when a delete finds nothing', async () => {
        await store.apply([serviceEntry('a', ['a.example'])]);
        const result = await store.delete([{ kind: 'ServiceEntry', namespace: 'default', name: 'zzz' }]);
        assert.equal(result.revision, 1);
        assert.deepEqual(result.deleted, []);
      });
    });

    describe('atomic batches', () => {
      it('stores nothing when a later object of the batch conflicts', async () => {
        await store.apply([serviceEntry('b', ['b.example'])]);
        const events: ChangeEvent[] = [];
        store.watch((batch) => events.push(...batch));
        await rejectsWith(
          store.apply([serviceEntry('a', ['a.example']), serviceEntry('b', ['b2.example'])], {
            expectedVersions: { 'ServiceEntry default/b': '7' },
          }),
          'HEDDLE_STORE_CONFLICT',
          /ServiceEntry default\/b/,
        );
        assert.equal(await store.get('ServiceEntry', 'default', 'a'), undefined);
        assert.deepEqual(
          (await store.get('ServiceEntry', 'default', 'b'))?.spec,
          serviceEntry('b', ['b.example']).spec,
        );
        assert.equal(await store.revision(), 1);
        assert.deepEqual(events, []);
      });

      it('stores nothing when an object of the batch cannot be named', async () => {
        const nameless = { apiVersion: 'v1', kind: 'Service', metadata: {} } as unknown as ResourceInput;
        await rejectsWith(
          store.apply([serviceEntry('a', ['a.example']), nameless]),
          'HEDDLE_STORE_INVALID_OBJECT',
        );
        assert.equal((await store.list()).items.length, 0);
        assert.equal(await store.revision(), 0);
      });

      it('refuses a batch that names one resource twice', async () => {
        await rejectsWith(
          store.apply([serviceEntry('a', ['a.example']), serviceEntry('a', ['b.example'])]),
          'HEDDLE_STORE_DUPLICATE_KEY',
          /ServiceEntry default\/a/,
        );
        assert.equal(await store.revision(), 0);
      });

      it('commits a batch under one revision', async () => {
        const result = await store.apply([
          serviceEntry('a', ['a.example']),
          serviceEntry('b', ['b.example']),
        ]);
        assert.equal(result.revision, 1);
        assert.deepEqual(
          result.results.map((r) => r.resource.metadata.resourceVersion),
          ['1', '1'],
        );
      });
    });

    describe('optimistic concurrency', () => {
      it('accepts an update that names the current resourceVersion', async () => {
        await store.apply([serviceEntry('a', ['a.example'])]);
        const result = await store.apply([serviceEntry('a', ['b.example'])], {
          expectedVersions: { 'ServiceEntry default/a': '1' },
        });
        assert.equal(result.revision, 2);
      });

      it('rejects an update based on a stale resourceVersion, naming expected and actual', async () => {
        await store.apply([serviceEntry('a', ['a.example'])]);
        await store.apply([serviceEntry('a', ['b.example'])]);
        await rejectsWith(
          store.apply([serviceEntry('a', ['c.example'])], {
            expectedVersions: { 'ServiceEntry default/a': '1' },
          }),
          'HEDDLE_STORE_CONFLICT',
          /expected resourceVersion 1 but it is at 2/,
        );
      });

      it('treats expected version "0" as create-only', async () => {
        const createOnly = { expectedVersions: { 'ServiceEntry default/a': '0' } };
        await store.apply([serviceEntry('a', ['a.example'])], createOnly);
        await rejectsWith(
          store.apply([serviceEntry('a', ['b.example'])], createOnly),
          'HEDDLE_STORE_CONFLICT',
        );
      });

      it('rejects a whole delete when one expected version is stale', async () => {
        await store.apply([serviceEntry('a', ['a.example']), serviceEntry('b', ['b.example'])]);
        await rejectsWith(
          store.delete(
            [
              { kind: 'ServiceEntry', namespace: 'default', name: 'a' },
              { kind: 'ServiceEntry', namespace: 'default', name: 'b' },
            ],
            { expectedVersions: { 'ServiceEntry default/b': '5' } },
          ),
          'HEDDLE_STORE_CONFLICT',
        );
        assert.equal((await store.list()).items.length, 2);
      });
    });

    describe('watch', () => {
      it('delivers puts and deletes in commit order, one call per commit', async () => {
        const calls: (readonly ChangeEvent[])[] = [];
        store.watch((events) => calls.push(events));
        await store.apply([serviceEntry('a', ['a.example']), serviceEntry('b', ['b.example'])]);
        await store.apply([serviceEntry('a', ['a2.example'])]);
        await store.delete([{ kind: 'ServiceEntry', namespace: 'default', name: 'b' }]);
        assert.deepEqual(
          calls.map((events) => events.map((e) => `${e.revision} ${e.type} ${e.resource.metadata.name}`)),
          [['1 put a', '1 put b'], ['2 put a'], ['3 delete b']],
        );
        assert.deepEqual((calls[1]?.[0]?.resource.spec as { hosts: string[] }).hosts, ['a2.example']);
      });

      it('delivers after commit: a listener reads the new state', async () => {
        let seen: unknown;
        store.watch(() => {
          void store.get('ServiceEntry', 'default', 'a').then((r) => (seen = r?.metadata.resourceVersion));
        });
        await store.apply([serviceEntry('a', ['a.example'])]);
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(seen, '1');
      });

      it('keeps order for every listener when a listener writes while being notified', async () => {
        const first: number[] = [];
        const second: number[] = [];
        store.watch((events) => {
          first.push(events[0]?.revision ?? -1);
          if (events[0]?.resource.metadata.name === 'a') void store.apply([serviceEntry('b', ['b.example'])]);
        });
        store.watch((events) => second.push(events[0]?.revision ?? -1));
        await store.apply([serviceEntry('a', ['a.example'])]);
        await new Promise((resolve) => setImmediate(resolve));
        assert.deepEqual(first, [1, 2]);
        assert.deepEqual(second, [1, 2]);
      });

      it('stops delivering after unsubscribe', async () => {
        const names: string[] = [];
        const stop = store.watch((events) => names.push(...events.map((e) => e.resource.metadata.name)));
        await store.apply([serviceEntry('a', ['a.example'])]);
        stop();
        await store.apply([serviceEntry('b', ['b.example'])]);
        assert.deepEqual(names, ['a']);
      });
    });

    describe('revision', () => {
      it('starts at 0 and only grows, also across deletes of the newest resource', async () => {
        const seen = [await store.revision()];
        await store.apply([serviceEntry('a', ['a.example'])]);
        seen.push(await store.revision());
        await store.apply([serviceEntry('b', ['b.example'])]);
        seen.push(await store.revision());
        await store.delete([{ kind: 'ServiceEntry', namespace: 'default', name: 'b' }]);
        seen.push(await store.revision());
        await store.apply([serviceEntry('b', ['b.example'])]);
        seen.push(await store.revision());
        assert.deepEqual(seen, [0, 1, 2, 3, 4]);
        assert.equal((await store.get('ServiceEntry', 'default', 'b'))?.metadata.generation, 1);
      });
    });

    describe('close', () => {
      it('rejects every operation after close', async () => {
        await store.close();
        await rejectsWith(store.list(), 'HEDDLE_STORE_CLOSED');
        await rejectsWith(store.apply([serviceEntry('a', ['a.example'])]), 'HEDDLE_STORE_CLOSED');
        await store.close();
      });
    });
  });
}
