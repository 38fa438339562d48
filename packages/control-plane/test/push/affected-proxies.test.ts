// The dependency rules are sound: for varied changes to a small mesh, every proxy whose full translation
// (translateProxy, serialized) differs before and after the change is among the proxies the rules call
// affected, and proxies out of a change's reach are skipped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MESH_CONFIG } from '@heddle/api';
import { gatewayNode, sidecarNode, snapshotFromYaml } from '@heddle/testkit';
import { buildMeshIndex, translateProxy, type MeshSnapshot, type ProxyNode } from '@heddle/translate';
import { affectedProxies } from '../../src/push/affected-proxies.ts';
import { snapshotChanges } from '../../src/push/snapshot-changes.ts';
import { contentVersion } from '../../src/xds/content-version.ts';
import { proxyResourcesFrom } from '../../src/xds/proxy-resources.ts';
import { ResourceInterner } from '../../src/xds/resource-interner.ts';
import { BASE_MESH, CHANGES, type MeshChange } from './support/mesh-changes.ts';

const PROXIES: readonly ProxyNode[] = [
  sidecarNode({
    name: 'reviews-v1',
    namespace: 'shop',
    labels: { app: 'reviews', version: 'v1' },
    ip: '10.1.0.1',
  }),
  sidecarNode({
    name: 'reviews-v2',
    namespace: 'shop',
    labels: { app: 'reviews', version: 'v2' },
    ip: '10.1.0.2',
  }),
  sidecarNode({ name: 'productpage', namespace: 'shop', labels: { app: 'productpage' }, ip: '10.1.0.3' }),
  sidecarNode({ name: 'ratings', namespace: 'rate', labels: { app: 'ratings' }, ip: '10.2.0.1' }),
  sidecarNode({ name: 'client', namespace: 'rate', labels: { app: 'client' }, ip: '10.2.0.2' }),
  sidecarNode({ name: 'db', namespace: 'data', labels: { app: 'db' }, ip: '10.3.0.1' }),
  sidecarNode({ name: 'batch', namespace: 'data', labels: { app: 'batch' }, ip: '10.3.0.2' }),
  sidecarNode({ name: 'lonely', namespace: 'quiet', labels: { app: 'lonely' }, ip: '10.4.0.1' }),
  gatewayNode({ name: 'istio-ingressgateway', namespace: 'istio-system', ip: '10.9.0.1' }),
  sidecarNode({ name: 'grpc-client', namespace: 'shop', ip: '10.1.0.9', metadata: { GENERATOR: 'grpc' } }),
];

/** Per type, the content version of the proxy's whole translation: equal iff the output is byte-identical. */
function fingerprint(snapshot: MeshSnapshot, node: ProxyNode): string {
  const resources = proxyResourcesFrom(translateProxy(snapshot, node), new ResourceInterner());
  return [...resources].map(([type, set]) => `${type}=${contentVersion(set.values())}`).join(' ');
}

function evaluate(change: MeshChange) {
  const before = snapshotFromYaml(BASE_MESH, { meshConfig: DEFAULT_MESH_CONFIG });
  const after = snapshotFromYaml(change.yaml(BASE_MESH), {
    meshConfig: change.meshConfig ?? DEFAULT_MESH_CONFIG,
  });
  const test = affectedProxies(snapshotChanges(before, after), buildMeshIndex(after));
  const changed = PROXIES.filter((node) => fingerprint(before, node) !== fingerprint(after, node)).map(
    (n) => n.id,
  );
  const affected = PROXIES.filter((node) => test(node)).map((n) => n.id);
  return { changed, affected };
}

const name = (id: string) => id.split('~')[2] ?? id;

describe('affected proxies', () => {
  for (const change of CHANGES) {
    it(`covers every proxy whose output changed: ${change.title}`, () => {
      const { changed, affected } = evaluate(change);
      const missed = changed.filter((id) => !affected.includes(id));
      assert.deepEqual(
        missed.map(name),
        [],
        `changed but not called affected: ${missed.map(name).join(', ')}`,
      );
      // The case exercises something: the change is visible in at least one proxy's output.
      if (!change.notTranslatedYet)
        assert.ok(changed.length > 0, 'the change alters no proxy, so it proves nothing');
      if (change.skips)
        for (const skipped of change.skips)
          assert.ok(
            !affected.some((id) => name(id) === skipped),
            `${skipped} is out of the change's reach but was called affected`,
          );
    });
  }

  it('calls nothing affected when nothing changed but the revision', () => {
    const before = snapshotFromYaml(BASE_MESH);
    const after = { ...snapshotFromYaml(BASE_MESH), revision: 99 };
    const test = affectedProxies(snapshotChanges(before, after), buildMeshIndex(after));
    assert.deepEqual(
      PROXIES.filter((node) => test(node)).map((n) => name(n.id)),
      // Gateways and proxyless gRPC clients are always translated.
      ['istio-ingressgateway.istio-system', 'grpc-client.shop'],
    );
  });

  it('falls back to every proxy for a snapshot field it does not know', () => {
    const before = snapshotFromYaml(BASE_MESH);
    const after = { ...snapshotFromYaml(BASE_MESH), somethingNew: ['x'] } as MeshSnapshot;
    const changes = snapshotChanges(before, after);
    assert.equal(changes.everything, 'somethingNew');
    const test = affectedProxies(changes, buildMeshIndex(after));
    assert.ok(PROXIES.every((node) => test(node)));
  });
});
