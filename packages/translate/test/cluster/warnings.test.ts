// DestinationRule settings that cannot apply become warnings with stable codes; translation goes on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translateProxy } from '@heddle/translate';
import { sidecarNode, snapshotFromYaml } from '@heddle/testkit';

const service = `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: orders, namespace: default }
spec:
  hosts: [orders.default.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: 8080, name: http, protocol: HTTP }]
  endpoints: [{ address: 10.0.0.9, labels: { version: v1 } }]
`;

function warningsFor(rule: string) {
  const output = translateProxy(snapshotFromYaml(`${service}---${rule}`), sidecarNode());
  return { output, codes: output.warnings.map((w) => w.code).sort() };
}

describe('cluster warnings', () => {
  it('reports portLevelSettings for a port the service lacks', () => {
    const { codes, output } = warningsFor(`
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: orders, namespace: default }
spec:
  host: orders
  trafficPolicy:
    portLevelSettings:
      - port: { number: 9999 }
        loadBalancer: { simple: RANDOM }
`);
    assert.deepEqual(codes, ['HEDDLE_TRANSLATE_PORT_NOT_FOUND']);
    assert.equal(output.warnings[0]?.resource, 'DestinationRule default/orders');
    assert.ok(output.clusters.some((c) => c.name === 'outbound|8080||orders.default.svc.cluster.local'));
  });

  it('reports a subset that selects no endpoint, and still builds its cluster', () => {
    const { codes, output } = warningsFor(`
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: orders, namespace: default }
spec:
  host: orders
  subsets:
    - { name: v1, labels: { version: v1 } }
    - { name: v9, labels: { version: v9 } }
`);
    assert.deepEqual(codes, ['HEDDLE_TRANSLATE_SUBSET_EMPTY']);
    const v9 = output.endpoints.find(
      (e) => e.clusterName === 'outbound|8080|v9|orders.default.svc.cluster.local',
    );
    assert.deepEqual(v9?.endpoints, []);
  });

  it('reports settings Heddle does not translate', () => {
    const { codes } = warningsFor(`
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: orders, namespace: default }
spec:
  host: orders
  trafficPolicy:
    proxyProtocol: { version: V2 }
`);
    assert.deepEqual(codes, ['HEDDLE_TRANSLATE_UNSUPPORTED_FIELD']);
  });

  it('reports DNS_ROUND_ROBIN with several endpoints (which validation refuses) and keeps the first', () => {
    const snapshot = snapshotFromYaml(`
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: partner, namespace: default }
spec:
  hosts: [api.partner.example]
  location: MESH_EXTERNAL
  resolution: DNS_ROUND_ROBIN
  ports: [{ number: 443, name: tls, protocol: TLS }]
  endpoints: [{ address: a.partner.example }]
`);
    // A registry source that skipped validation: the translator still must not emit a broken cluster.
    const services = snapshot.services.map((s) => ({
      ...s,
      endpoints: [...s.endpoints, { ...s.endpoints[0]!, address: 'b.partner.example' }],
    }));
    const output = translateProxy({ ...snapshot, services }, sidecarNode());
    assert.deepEqual(
      output.warnings.map((w) => w.code),
      ['HEDDLE_TRANSLATE_DNS_ROUND_ROBIN_ENDPOINTS'],
    );
    const cluster = output.clusters.find((c) => c.name === 'outbound|443||api.partner.example');
    assert.equal(cluster?.loadAssignment?.endpoints.flatMap((l) => l.lbEndpoints).length, 1);
  });
});
