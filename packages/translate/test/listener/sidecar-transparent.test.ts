// LDS for transparent sidecars: virtualOutbound, per-port outbound listeners, virtualInbound.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectTranslationGolden, sidecarNode, snapshotFromYaml } from '@heddle/testkit';
import { translateProxy } from '@heddle/translate';
import { caseDir, listenerWarnings } from './case-dir.ts';

describe('transparent sidecar listeners', () => {
  it('serves HTTP ports through RDS, TCP by VIP, TLS by SNI, and the workload port inbound', () => {
    const output = expectTranslationGolden(caseDir('listener-sidecar-transparent'), ['lds']);
    assert.deepEqual(listenerWarnings(output), []);
  });

  it('gives each inbound port of the workload its own chains (PERMISSIVE: mTLS and plaintext): HTTP to a connection manager, TCP to tcp_proxy', () => {
    const output = expectTranslationGolden(caseDir('listener-inbound-two-ports'), ['lds']);
    const inbound = output.listeners.find((l) => l.name === 'virtualInbound');
    assert.deepEqual(
      inbound?.filterChains.map((c) => c.name),
      [
        'virtualInbound-blackhole',
        'inbound|5000||mtls',
        'inbound|5000||',
        'inbound|8081||mtls',
        'inbound|8081||',
      ],
    );
  });

  it('routes VirtualService TCP and TLS rules, warning about an undefined subset', () => {
    const output = expectTranslationGolden(caseDir('listener-tcp-tls-routes'), ['lds']);
    assert.deepEqual(listenerWarnings(output), [
      ['HEDDLE_TRANSLATE_SUBSET_NOT_FOUND', 'VirtualService default/warehouse'],
    ]);
  });

  it('sends unknown destinations to BlackHoleCluster under REGISTRY_ONLY', () => {
    const output = expectTranslationGolden(caseDir('listener-registry-only'), ['lds']);
    const outbound = output.listeners.find((l) => l.name === 'virtualOutbound');
    assert.equal(outbound?.defaultFilterChain?.name, 'virtualOutbound-catchall-tcp');
    const tcp = output.listeners.find((l) => l.name === '0.0.0.0_3306');
    assert.equal(tcp?.defaultFilterChain?.name, 'BlackHoleCluster');
  });

  it('applies meshConfig pathNormalization to every connection manager', () => {
    expectTranslationGolden(caseDir('listener-path-normalization'), ['lds']);
  });

  it('scopes outbound ports by Sidecar egress and takes inbound ports from Sidecar ingress', () => {
    const output = expectTranslationGolden(caseDir('listener-sidecar-resource'), ['lds']);
    assert.deepEqual(
      output.listeners.map((l) => l.name),
      ['0.0.0.0_5432', '0.0.0.0_8080', '0.0.0.0_9000', 'virtualInbound', 'virtualOutbound'],
    );
  });

  it('lets HTTP keep a port that a TCP service without an address also claims, and warns', () => {
    const snapshot = snapshotFromYaml(`apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  clusterIP: 10.96.0.40
  ports: [{name: http, port: 8000}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: legacy, namespace: default}
spec:
  hosts: [legacy.example.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{number: 8000, name: tcp, protocol: TCP}]
`);
    const output = translateProxy(snapshot, sidecarNode());
    const listener = output.listeners.find((l) => l.name === '0.0.0.0_8000');
    assert.deepEqual(
      listener?.filterChains.map((c) => c.name),
      ['outbound_http_8000'],
    );
    assert.deepEqual(
      listenerWarnings(output).map(([code]) => code),
      ['HEDDLE_TRANSLATE_FILTER_CHAIN_CONFLICT'],
    );
  });
});
