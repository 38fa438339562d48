// Config that cannot apply as written is warned about, once, and never throws.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sidecarNode, snapshotFromYaml, translateCase } from '@heddle/testkit';
import { translateProxy, type TranslationWarning } from '@heddle/translate';

const testdata = join(import.meta.dirname, '..', 'testdata');

const routeWarnings = (warnings: readonly TranslationWarning[]): TranslationWarning[] =>
  warnings.filter((w) => w.resource?.startsWith('VirtualService') ?? w.code.includes('DOMAIN'));

const service = (name: string, port: number): string => `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: default}
spec:
  selector: {app: ${name}}
  ports: [{name: http, port: ${port}}]
`;

function warningsFor(yaml: string): TranslationWarning[] {
  return routeWarnings(translateProxy(snapshotFromYaml(yaml), sidecarNode({ name: 'client' })).warnings);
}

describe('route warnings', () => {
  it('names a missing host and a missing subset', () => {
    const codes = routeWarnings(translateCase(join(testdata, 'route-missing-destination')).warnings).map(
      (w) => w.code,
    );
    assert.deepEqual(codes, ['HEDDLE_TRANSLATE_DESTINATION_NOT_FOUND', 'HEDDLE_TRANSLATE_SUBSET_NOT_FOUND']);
  });

  it('drops a conflicting delegate rule', () => {
    const warnings = routeWarnings(translateCase(join(testdata, 'route-delegate')).warnings);
    assert.deepEqual(
      warnings.map((w) => [w.code, w.resource]),
      [['HEDDLE_TRANSLATE_DELEGATE_MATCH_CONFLICT', 'VirtualService team/reviews-team']],
    );
  });

  it('reports a delegate that does not exist and keeps the other rules', () => {
    const warnings = warningsFor(`${service('reviews', 9080)}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: root, namespace: default}
spec:
  hosts: [reviews]
  http:
    - match: [{uri: {prefix: /team}}]
      delegate: {name: missing}
    - route: [{destination: {host: reviews}}]
`);
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['HEDDLE_TRANSLATE_DELEGATE_NOT_FOUND'],
    );
  });

  it('leaves out claim matches on the sidecars of a VirtualService also bound to a gateway', () => {
    const warnings = warningsFor(`${service('reviews', 9080)}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  gateways: [mesh, istio-system/ingress]
  http:
    - match: [{headers: {"@request.auth.claims.group": {exact: admin}}}]
      route: [{destination: {host: reviews}}]
`);
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['HEDDLE_TRANSLATE_CLAIM_MATCH_UNSUPPORTED'],
    );
  });

  it('lets the older of two VirtualServices for one host win', () => {
    const vs = (name: string, created: string): string => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: default, creationTimestamp: "${created}"}
spec:
  hosts: [reviews]
  http: [{route: [{destination: {host: reviews}}], timeout: 1s}]
`;
    const yaml = [
      service('reviews', 9080),
      vs('newer', '2024-02-01T00:00:00Z'),
      vs('older', '2024-01-01T00:00:00Z'),
    ].join('---\n');
    const warnings = warningsFor(yaml);
    assert.deepEqual(
      warnings.map((w) => [w.code, w.resource]),
      [['HEDDLE_TRANSLATE_DUPLICATE_HOST', 'VirtualService default/newer']],
    );
  });
});
