import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyMeshConfig, DEFAULT_MESH_CONFIG } from '../../src/index.ts';

describe('DEFAULT_MESH_CONFIG', () => {
  it("holds Istio's defaults", () => {
    assert.equal(DEFAULT_MESH_CONFIG.trustDomain, 'cluster.local');
    assert.equal(DEFAULT_MESH_CONFIG.rootNamespace, 'istio-system');
    assert.equal(DEFAULT_MESH_CONFIG.outboundTrafficPolicy?.mode, 'ALLOW_ANY');
    assert.equal(DEFAULT_MESH_CONFIG.enableAutoMtls, true);
    assert.equal(DEFAULT_MESH_CONFIG.accessLogEncoding, 'TEXT');
    assert.equal(DEFAULT_MESH_CONFIG.defaultConfig?.concurrency, 2);
    assert.equal(DEFAULT_MESH_CONFIG.defaultConfig?.tracing?.sampling, 1.0);
    assert.equal(DEFAULT_MESH_CONFIG.defaultConfig?.terminationDrainDuration, '5s');
  });

  it('cannot be modified by accident', () => {
    assert.ok(Object.isFrozen(DEFAULT_MESH_CONFIG));
    assert.ok(Object.isFrozen(DEFAULT_MESH_CONFIG.defaultConfig));
  });
});

describe('applyMeshConfig', () => {
  it('overrides single fields and keeps the rest of nested maps', () => {
    const merged = applyMeshConfig(DEFAULT_MESH_CONFIG, {
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      defaultConfig: { concurrency: 4 },
    });
    assert.equal(merged.outboundTrafficPolicy?.mode, 'REGISTRY_ONLY');
    assert.equal(merged.defaultConfig?.concurrency, 4);
    assert.equal(merged.defaultConfig?.drainDuration, '45s');
    assert.equal(merged.trustDomain, 'cluster.local');
  });

  it('replaces lists', () => {
    const merged = applyMeshConfig(DEFAULT_MESH_CONFIG, { trustDomainAliases: ['old.example'] });
    assert.deepEqual(merged.trustDomainAliases, ['old.example']);
  });

  it('adds extension providers to the built-in ones, replacing one of the same name', () => {
    const merged = applyMeshConfig(DEFAULT_MESH_CONFIG, {
      extensionProviders: [
        { name: 'envoy', envoyFileAccessLog: { path: '/var/log/mesh.log' } },
        { name: 'zipkin', zipkin: { service: 'zipkin.tracing', port: 9411 } },
      ],
    });
    assert.deepEqual(
      merged.extensionProviders?.map((p) => p.name),
      ['prometheus', 'envoy', 'zipkin'],
    );
    assert.equal(merged.extensionProviders?.[1]?.envoyFileAccessLog?.path, '/var/log/mesh.log');
  });
});
