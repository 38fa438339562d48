import { describe, it } from 'node:test';
import { expectFinding } from '../../helpers/findings.ts';

function resource(apiVersion: string, kind: string): string {
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: old, namespace: default}\nspec: {}\n`;
}

describe('removed Istio APIs', () => {
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ['config.istio.io/v1alpha2', 'handler', 'Telemetry API'],
    ['config.istio.io/v1alpha2', 'instance', 'Telemetry API'],
    ['config.istio.io/v1alpha2', 'rule', 'providers list of a Telemetry resource'],
    ['config.istio.io/v1alpha2', 'attributemanifest', 'no longer needed'],
    ['config.istio.io/v1alpha2', 'QuotaSpec', 'local_ratelimit'],
    ['config.istio.io/v1alpha2', 'QuotaSpecBinding', 'EnvoyFilter'],
    ['config.istio.io/v1alpha2', 'memquota', 'rate limit'],
    ['config.istio.io/v1alpha2', 'listchecker', 'AuthorizationPolicy'],
    ['config.istio.io/v1alpha2', 'RouteRule', 'VirtualService'],
    ['config.istio.io/v1alpha2', 'DestinationPolicy', 'DestinationRule'],
    ['config.istio.io/v1alpha2', 'EgressRule', 'ServiceEntry'],
    ['config.istio.io/v1alpha2', 'somethingelse', 'Mixer'],
    [
      'authentication.istio.io/v1alpha1',
      'MeshPolicy',
      'PeerAuthentication without a selector in the root namespace',
    ],
    ['authentication.istio.io/v1alpha1', 'Policy', 'RequestAuthentication'],
    ['rbac.istio.io/v1alpha1', 'ClusterRbacConfig', 'AuthorizationPolicy with an empty spec'],
    ['rbac.istio.io/v1alpha1', 'ServiceRole', 'rules[].to'],
    ['rbac.istio.io/v1alpha1', 'ServiceRoleBinding', 'rules[].from'],
    ['install.istio.io/v1alpha2', 'IstioControlPlane', 'IstioOperator'],
  ];

  for (const [apiVersion, kind, replacement] of cases) {
    it(`answers ${apiVersion} ${kind} with its replacement`, () => {
      expectFinding(resource(apiVersion, kind), {
        code: 'HEDDLE_REMOVED_API',
        field: 'apiVersion',
        line: 1,
        level: 'Error',
        message: replacement,
      });
    });
  }
});
