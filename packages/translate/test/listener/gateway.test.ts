// LDS for gateways: listeners per server port, TLS termination by SDS, passthrough and TCP routing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectTranslationGolden, gatewayNode, snapshotFromYaml } from '@heddle/testkit';
import { translateProxy } from '@heddle/translate';
import { caseDir, listenerWarnings } from './case-dir.ts';

describe('gateway listeners', () => {
  it('serves seed 000-05: HTTP on 80 and HTTPS on 443 with the credential by SDS', () => {
    const output = expectTranslationGolden(caseDir('listener-gateway-seed-000-05'), ['lds']);
    assert.deepEqual(listenerWarnings(output), []);
  });

  it('terminates SIMPLE, MUTUAL and ISTIO_MUTUAL, passes TLS through by SNI, proxies TCP, and skips a missing credential', () => {
    const output = expectTranslationGolden(caseDir('listener-gateway-tls'), ['lds']);
    assert.deepEqual(listenerWarnings(output), [
      ['HEDDLE_TRANSLATE_CREDENTIAL_MISSING', 'Gateway istio-system/edge'],
    ]);
    const https = output.listeners.find((l) => l.name === '0.0.0.0_443');
    assert.deepEqual(
      https?.filterChains.map((c) => c.name),
      [
        'https.443.https-shop.edge.istio-system',
        'https.443.https-partners.edge.istio-system',
        'outbound|5432||db.data.svc.cluster.local',
      ],
    );
  });

  it('omits a gateway server whose credential is missing, even when it is the only one', () => {
    const snapshot = snapshotFromYaml(
      GATEWAY_WITH(`
    - port: {number: 8443, name: https, protocol: HTTPS}
      hosts: ["*"]
      tls: {mode: SIMPLE, credentialName: absent}`),
    );
    const output = translateProxy(snapshot, gatewayNode());
    assert.deepEqual(output.listeners, []);
    assert.match(output.warnings[0]?.message ?? '', /istio-system\/absent not found/);
  });

  it('serves only the first family when plaintext HTTP and TLS share a port', () => {
    const snapshot = snapshotFromYaml(
      GATEWAY_WITH(`
    - port: {number: 8080, name: http, protocol: HTTP}
      hosts: ["*"]
    - port: {number: 8080, name: https, protocol: HTTPS}
      hosts: ["a.example.com"]
      tls: {mode: SIMPLE, credentialName: a-cert}`),
      { credentials: ['istio-system/a-cert'] },
    );
    const output = translateProxy(snapshot, gatewayNode());
    assert.deepEqual(
      output.listeners[0]?.filterChains.map((c) => c.name),
      ['http.8080'],
    );
    assert.deepEqual(listenerWarnings(output), [
      ['HEDDLE_TRANSLATE_GATEWAY_PORT_CONFLICT', 'Gateway istio-system/test'],
    ]);
  });

  it('warns about AUTO_PASSTHROUGH servers it does not translate', () => {
    const snapshot = snapshotFromYaml(
      GATEWAY_WITH(`
    - port: {number: 15443, name: tls, protocol: TLS}
      hosts: ["*.local"]
      tls: {mode: AUTO_PASSTHROUGH}`),
    );
    const output = translateProxy(snapshot, gatewayNode());
    assert.deepEqual(output.listeners, []);
    assert.deepEqual(listenerWarnings(output), [
      ['HEDDLE_TRANSLATE_GATEWAY_SERVER_UNSUPPORTED', 'Gateway istio-system/test'],
    ]);
  });

  it('opens nothing for a gateway that does not select the proxy', () => {
    const snapshot = snapshotFromYaml(
      GATEWAY_WITH(`
    - port: {number: 80, name: http, protocol: HTTP}
      hosts: ["*"]`),
    );
    const output = translateProxy(snapshot, gatewayNode({ labels: { istio: 'egressgateway' } }));
    assert.deepEqual(output.listeners, []);
  });
});

function GATEWAY_WITH(servers: string): string {
  return `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: test
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway
  servers:${servers}
`;
}
