// meshConfig precedence: defaults < IstioOperator spec.meshConfig < the istio ConfigMap in istio-system.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MESH_CONFIG } from '@heddle/api';
import { effectiveMeshConfig, MemoryConfigStore, snapshotFromListing } from '../../src/index.ts';

async function stored(objects: Parameters<MemoryConfigStore['apply']>[0]) {
  const store = new MemoryConfigStore();
  await store.apply(objects);
  return (await store.list()).items;
}

const operator = (name: string, meshConfig: unknown) => ({
  apiVersion: 'install.istio.io/v1alpha1',
  kind: 'IstioOperator',
  metadata: { name, namespace: 'istio-system' },
  spec: { meshConfig },
});

const configMap = (namespace: string, mesh: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'istio', namespace },
  data: { mesh },
});

describe('effectiveMeshConfig', () => {
  it('is Istio’s default without any mesh resources', () => {
    const result = effectiveMeshConfig([]);
    assert.deepEqual(result.meshConfig, DEFAULT_MESH_CONFIG);
    assert.deepEqual(result.sources, []);
  });

  it('overlays IstioOperators, then the istio ConfigMap, field by field', async () => {
    const items = await stored([
      operator('a', {
        accessLogFile: '/dev/stdout',
        enableTracing: false,
        defaultConfig: { concurrency: 4 },
      }),
      operator('b', { accessLogEncoding: 'JSON' }),
      configMap('istio-system', 'accessLogFile: /var/log/mesh.log\ndefaultConfig:\n  drainDuration: 10s\n'),
      configMap('elsewhere', 'enableTracing: true\n'),
    ]);
    const { meshConfig, sources } = effectiveMeshConfig(items);
    assert.equal(meshConfig.accessLogFile, '/var/log/mesh.log', 'the ConfigMap wins over the operator');
    assert.equal(meshConfig.accessLogEncoding, 'JSON');
    assert.equal(meshConfig.enableTracing, false, 'a ConfigMap outside istio-system is ignored');
    assert.equal(meshConfig.defaultConfig?.concurrency, 4);
    assert.equal(meshConfig.defaultConfig?.drainDuration, '10s');
    assert.equal(meshConfig.trustDomain, 'cluster.local', 'defaults stay for fields nobody set');
    assert.deepEqual(sources, [
      'IstioOperator istio-system/a',
      'IstioOperator istio-system/b',
      'ConfigMap istio-system/istio',
    ]);
  });

  it('reports an unreadable mesh text and keeps the rest', () => {
    const bad = {
      ...configMap('istio-system', '- not\n- a map\n'),
      metadata: {
        name: 'istio',
        namespace: 'istio-system',
        resourceVersion: '1',
        generation: 1,
        creationTimestamp: '',
      },
    };
    const result = effectiveMeshConfig([bad]);
    assert.deepEqual(result.meshConfig, DEFAULT_MESH_CONFIG);
    assert.match(result.problems[0] ?? '', /data\.mesh is not a YAML map/);
  });

  it('builds a snapshot with the effective meshConfig, the registry services and the credentials', async () => {
    const items = await stored([operator('a', { trustDomain: 'example.org' })]);
    const { snapshot } = snapshotFromListing(items, 9, [], { credentials: () => ['shop/tls-cert'] });
    assert.equal(snapshot.meshConfig.trustDomain, 'example.org');
    assert.equal(snapshot.revision, 9);
    assert.deepEqual([...snapshot.credentials], ['shop/tls-cert']);
  });
});
