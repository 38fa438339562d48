import { describe, it } from 'node:test';
import { expectClean, expectFinding } from '../../helpers/findings.ts';

/** A resource with the dry-run annotation on line 6 and its spec body from line 8. */
function annotated(kind: string, apiVersion: string, value: string, body: string): string {
  return `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: p
  annotations:
    istio.io/dry-run: ${value}
spec:
${body}`;
}

const DENY = '  action: DENY\n  rules:\n  - to:\n    - operation: {ports: ["8080"]}\n';

describe('istio.io/dry-run annotation', () => {
  it('accepts "true" and "false" on ALLOW and DENY AuthorizationPolicies', () => {
    expectClean(annotated('AuthorizationPolicy', 'security.istio.io/v1', '"true"', DENY));
    expectClean(annotated('AuthorizationPolicy', 'security.istio.io/v1', '"False"', '  rules:\n  - {}\n'));
  });

  it('rejects a value that is not a boolean', () => {
    expectFinding(annotated('AuthorizationPolicy', 'security.istio.io/v1', '"yes"', DENY), {
      code: 'HEDDLE_ANNOTATION_INVALID',
      level: 'Error',
      field: 'metadata.annotations["istio.io/dry-run"]',
      line: 6,
      message: '"true"',
    });
  });

  it('rejects dry-run on CUSTOM and AUDIT policies', () => {
    expectFinding(
      annotated(
        'AuthorizationPolicy',
        'security.istio.io/v1',
        '"true"',
        '  action: CUSTOM\n  provider: {name: ext-authz}\n  rules:\n  - {}\n',
      ),
      { code: 'HEDDLE_ANNOTATION_INVALID', line: 6, message: 'ALLOW and DENY' },
    );
    expectFinding(
      annotated(
        'AuthorizationPolicy',
        'security.istio.io/v1',
        '"true"',
        '  action: AUDIT\n  rules:\n  - {}\n',
      ),
      {
        code: 'HEDDLE_ANNOTATION_INVALID',
        line: 6,
      },
    );
  });

  it('rejects dry-run on every other kind', () => {
    for (const [kind, apiVersion, body] of [
      ['PeerAuthentication', 'security.istio.io/v1', '  mtls: {mode: STRICT}\n'],
      ['RequestAuthentication', 'security.istio.io/v1', '  jwtRules:\n  - issuer: i\n'],
      ['Telemetry', 'telemetry.istio.io/v1', '  metrics:\n  - providers: [{name: prometheus}]\n'],
      ['WasmPlugin', 'extensions.istio.io/v1alpha1', '  url: oci://ghcr.io/acme/filter:v1\n'],
    ] as const) {
      expectFinding(annotated(kind, apiVersion, '"true"', body), {
        code: 'HEDDLE_ANNOTATION_MISPLACED',
        level: 'Error',
        field: 'metadata.annotations["istio.io/dry-run"]',
        line: 6,
        message: 'AuthorizationPolicy',
      });
    }
  });
});
