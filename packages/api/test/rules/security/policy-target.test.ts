import { describe, it } from 'node:test';
import { expectClean, expectFinding } from '../../helpers/findings.ts';

/** A policy of `kind` whose spec body starts on line 5; the body gets `extra` appended so each kind is valid. */
const KINDS = [
  { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', extra: '  rules:\n  - {}\n' },
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'RequestAuthentication',
    extra: '  jwtRules:\n  - issuer: i\n',
  },
  {
    apiVersion: 'telemetry.istio.io/v1',
    kind: 'Telemetry',
    extra: '  metrics:\n  - providers: [{name: prometheus}]\n',
  },
  {
    apiVersion: 'extensions.istio.io/v1alpha1',
    kind: 'WasmPlugin',
    extra: '  url: oci://ghcr.io/acme/filter:v1\n',
  },
] as const;

function doc(kind: (typeof KINDS)[number], body: string): string {
  return `apiVersion: ${kind.apiVersion}
kind: ${kind.kind}
metadata: {name: p, namespace: shop}
spec:
${body}${kind.extra}`;
}

for (const kind of KINDS) {
  describe(`${kind.kind}: selector and targetRefs`, () => {
    it('accepts targetRefs to a Gateway, GatewayClass, Service and ServiceEntry', () => {
      expectClean(
        doc(
          kind,
          `  targetRefs:
  - {kind: Gateway, group: gateway.networking.k8s.io, name: waypoint}
  - {kind: GatewayClass, group: gateway.networking.k8s.io, name: istio-waypoint}
  - {kind: Service, group: "", name: orders}
  - {kind: Service, group: core, name: billing}
  - {kind: ServiceEntry, group: networking.istio.io, name: payments}
`,
        ),
      );
    });

    it('accepts a selector with labels', () => {
      expectClean(doc(kind, '  selector:\n    matchLabels: {app: orders}\n'));
    });

    it('rejects a selector together with targetRefs', () => {
      expectFinding(
        doc(
          kind,
          '  selector:\n    matchLabels: {app: orders}\n  targetRefs:\n  - {kind: Service, name: orders}\n',
        ),
        { code: 'HEDDLE_SELECTOR_WITH_TARGET_REF', level: 'Error', field: 'spec.targetRefs', line: 7 },
      );
    });

    it('rejects targetRef together with targetRefs', () => {
      expectFinding(
        doc(kind, '  targetRef: {kind: Service, name: a}\n  targetRefs:\n  - {kind: Service, name: b}\n'),
        { code: 'HEDDLE_CONFLICTING_FIELDS', field: 'spec.targetRef', line: 5 },
      );
    });

    it('rejects a target reference without a name', () => {
      expectFinding(doc(kind, '  targetRef:\n    kind: Service\n'), {
        code: 'HEDDLE_REQUIRED_FIELD',
        field: 'spec.targetRef.name',
        line: 5,
      });
    });

    it('rejects a target reference with a namespace', () => {
      expectFinding(doc(kind, '  targetRefs:\n  - kind: Service\n    name: orders\n    namespace: other\n'), {
        code: 'HEDDLE_TARGET_REF_INVALID',
        field: 'spec.targetRefs[0].namespace',
        line: 8,
        message: 'own namespace',
      });
    });

    it('rejects target kinds a policy cannot attach to, and wrong groups', () => {
      expectFinding(doc(kind, '  targetRefs:\n  - kind: Deployment\n    group: apps\n    name: orders\n'), {
        code: 'HEDDLE_TARGET_REF_INVALID',
        field: 'spec.targetRefs[0].kind',
        line: 6,
        message: 'ServiceEntry (networking.istio.io)',
      });
      expectFinding(doc(kind, '  targetRef:\n    kind: Gateway\n    name: waypoint\n'), {
        code: 'HEDDLE_TARGET_REF_INVALID',
        field: 'spec.targetRef.kind',
        line: 6,
        message: 'group: gateway.networking.k8s.io',
      });
    });

    it('rejects wildcard labels and warns about an empty selector', () => {
      expectFinding(doc(kind, '  selector:\n    matchLabels:\n      "*": orders\n'), {
        code: 'HEDDLE_SELECTOR_INVALID',
        line: 7,
      });
      expectFinding(doc(kind, '  selector:\n    matchLabels: {}\n'), {
        code: 'HEDDLE_SELECTOR_EMPTY',
        level: 'Warning',
        field: 'spec.selector.matchLabels',
        line: 6,
      });
    });
  });
}
