// Serialized resources are shared between proxies: equal content is one object (bytes, Any, version), a
// different name or content is another, and the message is still readable for config_dump.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create } from '@bufbuild/protobuf';
import type { TranslationOutput } from '@heddle/translate';
import { CLUSTER_TYPE_URL, ClusterSchema, type Cluster } from '@heddle/xds';
import { proxyResourcesFrom } from '../../src/xds/proxy-resources.ts';
import { ResourceInterner } from '../../src/xds/resource-interner.ts';
import { resourceVersion } from '../../src/xds/content-version.ts';

function output(clusters: Cluster[]): TranslationOutput {
  return { clusters, endpoints: [], listeners: [], routes: [], secrets: [], warnings: [] };
}

const cluster = (name: string, ms: number) =>
  create(ClusterSchema, { name, connectTimeout: { nanos: ms * 1e6 } });

describe('proxy resources', () => {
  it('shares one object for the same resource translated for two proxies', () => {
    const interner = new ResourceInterner();
    const first = proxyResourcesFrom(output([cluster('a', 10), cluster('b', 10)]), interner);
    const second = proxyResourcesFrom(output([cluster('a', 10), cluster('b', 20)]), interner);
    const a1 = first.get(CLUSTER_TYPE_URL)?.get('a');
    const a2 = second.get(CLUSTER_TYPE_URL)?.get('a');
    assert.ok(a1 && a2);
    assert.equal(a1, a2);
    assert.notEqual(first.get(CLUSTER_TYPE_URL)?.get('b'), second.get(CLUSTER_TYPE_URL)?.get('b'));
    assert.deepEqual(interner.stats(), { entries: 3, hits: 1, misses: 3 });
  });

  it('keeps the version a content hash and decodes the message on demand', () => {
    const resource = proxyResourcesFrom(output([cluster('a', 10)]), new ResourceInterner())
      .get(CLUSTER_TYPE_URL)
      ?.get('a');
    assert.ok(resource);
    assert.equal(resource.version, resourceVersion(resource.bytes));
    assert.equal(resource.any.typeUrl, CLUSTER_TYPE_URL);
    assert.equal(resource.any.value, resource.bytes);
    const message = resource.message as Cluster;
    assert.equal(message.name, 'a');
    assert.equal(message.connectTimeout?.nanos, 10e6);
  });

  it('does not share resources of different names with equal bytes elsewhere', () => {
    const interner = new ResourceInterner();
    const resources = proxyResourcesFrom(output([cluster('a', 10), cluster('c', 10)]), interner);
    assert.notEqual(resources.get(CLUSTER_TYPE_URL)?.get('a'), resources.get(CLUSTER_TYPE_URL)?.get('c'));
  });
});
