// Validated apply: Istio YAML reaches the store only when all of it is valid, and re-applying changes nothing.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { MemoryConfigStore, applyYaml, deleteByKey, deleteYaml, type ConfigStore } from '../../src/index.ts';

const HTTPBIN = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: httpbin}
spec:
  hosts: [httpbin.org]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: DNS
`;

const REVIEWS = `apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
`;

const JOB = `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
`;

const INVALID = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: Bad_Name}
spec:
  hosts: [bad.example]
`;

describe('applyYaml', () => {
  let store: ConfigStore;
  beforeEach(() => {
    store = new MemoryConfigStore();
  });

  it('applies a valid batch in one revision, with namespaces defaulting to default', async () => {
    const result = await applyYaml(store, [{ name: 'mesh.yaml', text: `${HTTPBIN}---\n${REVIEWS}` }]);
    assert.equal(result.code, undefined);
    assert.equal(result.revision, 1);
    assert.deepEqual(
      result.applied.map(
        (a) => `${a.key.kind} ${a.key.namespace}/${a.key.name} ${a.outcome} ${a.file}:${a.line}`,
      ),
      ['ServiceEntry default/httpbin created mesh.yaml:1', 'Service shop/reviews created mesh.yaml:9'],
    );
    const stored = await store.get('ServiceEntry', 'default', 'httpbin');
    assert.equal(stored?.metadata.namespace, 'default');
    assert.deepEqual((stored?.spec as { hosts: string[] }).hosts, ['httpbin.org']);
  });

  it('uses the namespace option for documents without one', async () => {
    await applyYaml(store, [{ name: 'a.yaml', text: HTTPBIN }], { namespace: 'egress' });
    assert.ok(await store.get('ServiceEntry', 'egress', 'httpbin'));
  });

  it('stores cluster-scoped kinds without a namespace', async () => {
    await applyYaml(store, [
      { name: 'ns.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n' },
    ]);
    assert.ok(await store.get('Namespace', '', 'shop'));
  });

  it('skips non-mesh documents and keeps their Info finding', async () => {
    const result = await applyYaml(store, [{ name: 'mixed.yaml', text: `${JOB}---\n${HTTPBIN}` }]);
    assert.equal(result.code, undefined);
    assert.deepEqual(
      result.applied.map((a) => a.key.name),
      ['httpbin'],
    );
    assert.ok(result.findings.some((f) => f.code === 'HEDDLE_NOT_A_MESH_RESOURCE' && f.level === 'Info'));
    assert.deepEqual(
      (await store.list()).items.map((r) => r.kind),
      ['ServiceEntry'],
    );
  });

  it('writes nothing when one resource is invalid, and the finding names file and line', async () => {
    await applyYaml(store, [{ name: 'before.yaml', text: HTTPBIN }]);
    const before = await store.list();
    const result = await applyYaml(store, [
      { name: 'good.yaml', text: REVIEWS },
      { name: 'bad.yaml', text: `${HTTPBIN.replace('httpbin.org', 'httpbin.io')}---\n${INVALID}` },
    ]);
    assert.equal(result.code, 'HEDDLE_APPLY_REFUSED');
    assert.deepEqual(result.applied, []);
    const error = result.findings.find((f) => f.level === 'Error');
    assert.equal(error?.code, 'HEDDLE_METADATA_NAME_INVALID');
    assert.equal(error?.file, 'bad.yaml');
    assert.equal(error?.line, 11);
    assert.equal(result.revision, 1);
    assert.equal(await store.revision(), 1);
    assert.deepEqual(await store.list(), before);
  });

  it('refuses a source that does not parse', async () => {
    const result = await applyYaml(store, [
      { name: 'ok.yaml', text: HTTPBIN },
      { name: 'broken.yaml', text: 'kind: [unclosed\n' },
    ]);
    assert.equal(result.code, 'HEDDLE_APPLY_REFUSED');
    assert.ok(result.findings.some((f) => f.file === 'broken.yaml' && f.level === 'Error'));
    assert.equal(await store.revision(), 0);
  });

  it('refuses a batch that defines one resource twice, pointing at both places', async () => {
    const result = await applyYaml(store, [
      { name: 'a.yaml', text: HTTPBIN },
      { name: 'b.yaml', text: HTTPBIN },
    ]);
    assert.equal(result.code, 'HEDDLE_APPLY_REFUSED');
    const duplicate = result.findings.find((f) => f.code === 'HEDDLE_APPLY_DUPLICATE_RESOURCE');
    assert.equal(duplicate?.file, 'b.yaml');
    assert.match(duplicate?.message ?? '', /a\.yaml:1/);
    assert.equal(await store.revision(), 0);
  });

  it('reports identical objects as unchanged without a new revision', async () => {
    await applyYaml(store, [{ name: 'mesh.yaml', text: `${HTTPBIN}---\n${REVIEWS}` }]);
    const again = await applyYaml(store, [{ name: 'mesh.yaml', text: `${HTTPBIN}---\n${REVIEWS}` }]);
    assert.deepEqual(again.applied, []);
    assert.deepEqual(
      again.unchanged.map((u) => `${u.key.name}@${u.resourceVersion}`),
      ['httpbin@1', 'reviews@1'],
    );
    assert.equal(again.revision, 1);

    const edited = await applyYaml(store, [
      { name: 'mesh.yaml', text: `${HTTPBIN}---\n${REVIEWS.replace('9080', '9081')}` },
    ]);
    assert.deepEqual(
      edited.applied.map((a) => `${a.key.name} ${a.outcome}@${a.resourceVersion}`),
      ['reviews configured@2'],
    );
    assert.deepEqual(
      edited.unchanged.map((u) => u.key.name),
      ['httpbin'],
    );
  });
});

describe('deleteYaml and deleteByKey', () => {
  let store: ConfigStore;
  beforeEach(async () => {
    store = new MemoryConfigStore();
    await applyYaml(store, [{ name: 'mesh.yaml', text: `${HTTPBIN}---\n${REVIEWS}` }]);
  });

  it('deletes the resources a file names and reports those already gone', async () => {
    const result = await deleteYaml(store, [
      { name: 'mesh.yaml', text: `${HTTPBIN}---\n${REVIEWS.replace('shop', 'other')}` },
    ]);
    assert.deepEqual(
      result.deleted.map((k) => k.name),
      ['httpbin'],
    );
    assert.deepEqual(result.notFound, [{ kind: 'Service', namespace: 'other', name: 'reviews' }]);
    assert.equal(result.revision, 2);
    assert.equal(await store.get('ServiceEntry', 'default', 'httpbin'), undefined);
  });

  it('deletes nothing when a source does not parse', async () => {
    const result = await deleteYaml(store, [
      { name: 'mesh.yaml', text: HTTPBIN },
      { name: 'broken.yaml', text: 'kind: [unclosed\n' },
    ]);
    assert.equal(result.code, 'HEDDLE_APPLY_REFUSED');
    assert.equal((await store.list()).items.length, 2);
  });

  it('deletes by key', async () => {
    const result = await deleteByKey(store, [{ kind: 'Service', namespace: 'shop', name: 'reviews' }]);
    assert.equal(result.deleted.length, 1);
    assert.deepEqual(
      (await store.list()).items.map((r) => r.kind),
      ['ServiceEntry'],
    );
  });
});
