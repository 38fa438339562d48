import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectClean, expectFinding, expectNoFinding, findingsFor } from '../../helpers/findings.ts';

const HEAD =
  'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: control-plane\nspec:\n';

/** An IstioOperator with `spec` (indented two spaces); spec line N is file line N + 5. */
function operator(spec: string): string {
  return (
    HEAD +
    spec
      .split('\n')
      .map((line) => (line === '' ? line : `  ${line}`))
      .join('\n')
  );
}

describe('IstioOperator', () => {
  it('accepts a production-style operator with Kubernetes settings (Info only)', () => {
    expectClean(
      operator(`profile: default
revision: 1-13
hub: docker.io/istio
tag: 1.20.0
components:
  pilot:
    k8s:
      replicaCount: 2
      resources:
        requests: {cpu: 500m, memory: 2Gi}
        limits: {cpu: "2", memory: 4Gi}
      hpaSpec: {minReplicas: 2, maxReplicas: 5}
  ingressGateways:
  - name: istio-ingressgateway
    enabled: true
    label: {istio: ingressgateway}
    k8s:
      service:
        type: LoadBalancer
        ports: [{port: 80, name: http2}]
  egressGateways:
  - name: istio-egressgateway
    enabled: false
  cni:
    enabled: false
meshConfig:
  accessLogFile: /dev/stdout
values:
  global:
    proxy:
      resources:
        requests: {cpu: 100m, memory: 128Mi}
        limits: {cpu: 500m, memory: 512Mi}
    tracer:
      zipkin:
        address: zipkin.monitoring:9411
  pilot:
    env:
      PILOT_ENABLE_WORKLOAD_ENTRY_AUTO_REGISTRATION: true
      PILOT_DEBOUNCE_AFTER: 100ms
`),
    );
  });

  it('accepts an operator without metadata.name or spec fields', () => {
    expectClean('apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec: {}\n');
  });

  describe('profile and revision', () => {
    it('rejects "production", listing the real profiles and suggesting default', () => {
      expectFinding(operator('profile: production\n'), {
        code: 'HEDDLE_ISTIOOPERATOR_PROFILE_UNKNOWN',
        field: 'spec.profile',
        line: 6,
        level: 'Error',
        message: /default, demo, minimal.*use "default" and set replicas/,
      });
    });

    it('suggests the closest profile for a typo', () => {
      expectFinding(operator('profile: minimall\n'), {
        code: 'HEDDLE_ISTIOOPERATOR_PROFILE_UNKNOWN',
        message: 'did you mean "minimal"?',
      });
    });

    it('rejects a profile file path', () => {
      expectFinding(operator('profile: ./profiles/mine.yaml\n'), {
        code: 'HEDDLE_ISTIOOPERATOR_PROFILE_UNKNOWN',
        message: 'built-in profiles',
      });
    });

    it('accepts every built-in profile', () => {
      for (const profile of [
        'default',
        'demo',
        'minimal',
        'remote',
        'empty',
        'preview',
        'ambient',
        'openshift',
      ])
        expectNoFinding(operator(`profile: ${profile}\n`), 'HEDDLE_ISTIOOPERATOR_PROFILE_UNKNOWN');
    });

    it('rejects a revision that is not a DNS-1123 label, suggesting the dashed form', () => {
      expectFinding(operator('revision: "1.13"\n'), {
        code: 'HEDDLE_ISTIOOPERATOR_REVISION_INVALID',
        field: 'spec.revision',
        line: 6,
        message: '"1-13"',
      });
      expectFinding(operator('revision: 1.13\n'), {
        code: 'HEDDLE_ISTIOOPERATOR_REVISION_INVALID',
        message: 'not a number',
      });
    });
  });

  describe('spec fields', () => {
    it('rejects unknown spec fields with a suggestion', () => {
      expectFinding(operator('meshconfig: {}\n'), {
        code: 'HEDDLE_UNKNOWN_FIELD',
        field: 'spec.meshconfig',
        line: 6,
        message: 'write "meshConfig"',
      });
      expectFinding(operator('component: {}\n'), {
        code: 'HEDDLE_UNKNOWN_FIELD',
        message: 'did you mean "components"?',
      });
    });

    it('rejects addonComponents, pointing at the built-in dashboard and trace collector', () => {
      expectFinding(operator('addonComponents:\n  grafana:\n    enabled: true\n'), {
        code: 'HEDDLE_ISTIOOPERATOR_ADDON_COMPONENTS_REMOVED',
        field: 'spec.addonComponents',
        line: 6,
        level: 'Error',
        message: /heddle dashboard.*Zipkin-compatible trace collector/,
      });
    });

    it('warns that installPackagePath is not used', () => {
      expectFinding(operator('installPackagePath: /tmp/charts\n'), {
        code: 'HEDDLE_ISTIOOPERATOR_FIELD_NOT_USED',
        level: 'Warning',
        line: 6,
      });
    });

    it('checks the meshConfig inside', () => {
      expectFinding(operator('meshConfig:\n  defaultConfig:\n    concurrency: -2\n'), {
        code: 'HEDDLE_MESHCONFIG_CONCURRENCY_INVALID',
        field: 'spec.meshConfig.defaultConfig.concurrency',
        line: 8,
      });
    });
  });

  describe('components', () => {
    it('rejects an unknown component with a suggestion', () => {
      expectFinding(operator('components:\n  pilots: {enabled: true}\n'), {
        code: 'HEDDLE_ISTIOOPERATOR_COMPONENT_UNKNOWN',
        field: 'spec.components.pilots',
        line: 7,
        message: 'did you mean "pilot"?',
      });
    });

    it('explains components merged into istiod or removed with Mixer', () => {
      expectFinding(operator('components:\n  citadel: {enabled: true}\n'), {
        code: 'HEDDLE_ISTIOOPERATOR_COMPONENT_REMOVED',
        line: 7,
        message: 'merged into istiod',
      });
      expectFinding(operator('components:\n  telemetry: {enabled: true}\n'), {
        code: 'HEDDLE_ISTIOOPERATOR_COMPONENT_REMOVED',
        field: 'spec.components.telemetry',
        line: 7,
        message: 'Mixer',
      });
    });

    it('requires a name on every gateway entry', () => {
      expectFinding(operator('components:\n  ingressGateways:\n  - enabled: true\n'), {
        code: 'HEDDLE_REQUIRED_FIELD',
        field: 'spec.components.ingressGateways[0].name',
        line: 8,
        message: 'istio-ingressgateway',
      });
    });

    it('rejects two gateways with the same name', () => {
      expectFinding(operator('components:\n  egressGateways:\n  - name: egress\n  - name: egress\n'), {
        code: 'HEDDLE_DUPLICATE_ENTRY',
        field: 'spec.components.egressGateways[1].name',
        line: 9,
      });
    });

    it('rejects unknown component fields', () => {
      expectFinding(operator('components:\n  pilot:\n    enable: true\n'), {
        code: 'HEDDLE_UNKNOWN_FIELD',
        line: 8,
        message: 'did you mean "enabled"?',
      });
    });

    it('answers k8s.replicas with the real field name', () => {
      expectFinding(operator('components:\n  pilot:\n    k8s:\n      replicas: 3\n'), {
        code: 'HEDDLE_UNKNOWN_FIELD',
        field: 'spec.components.pilot.k8s.replicas',
        line: 9,
        message: '"replicaCount"',
      });
    });
  });

  describe('Kubernetes-only settings', () => {
    const settings = `components:
  pilot:
    k8s:
      hpaSpec: {minReplicas: 2}
      podDisruptionBudget: {minAvailable: 1}
      affinity: {}
  ingressGateways:
  - name: istio-ingressgateway
    k8s:
      nodeSelector: {disk: ssd}
      tolerations: []
      service: {type: LoadBalancer}
`;

    it('reports them once per resource, listing each component and field', () => {
      const infos = findingsFor(operator(settings)).filter(
        (f) => f.code === 'HEDDLE_ISTIOOPERATOR_KUBERNETES_ONLY',
      );
      assert.equal(infos.length, 1);
      expectFinding(operator(settings), {
        code: 'HEDDLE_ISTIOOPERATOR_KUBERNETES_ONLY',
        field: 'spec.components.pilot.k8s.hpaSpec',
        line: 9,
        level: 'Info',
        message:
          'pilot: hpaSpec, podDisruptionBudget, affinity; ingressGateways istio-ingressgateway: nodeSelector, tolerations, service',
      });
    });

    it('says that pilot replicaCount also sets the control-plane replicas outside Kubernetes', () => {
      expectFinding(operator('components:\n  pilot:\n    k8s:\n      replicaCount: 3\n'), {
        code: 'HEDDLE_ISTIOOPERATOR_KUBERNETES_ONLY',
        field: 'spec.components.pilot.k8s.replicaCount',
        line: 9,
        level: 'Info',
        message: 'number of control-plane replicas',
      });
    });

    it('checks resource quantities of components', () => {
      expectFinding(
        operator(
          'components:\n  pilot:\n    k8s:\n      resources:\n        requests:\n          memory: 2GB\n',
        ),
        {
          code: 'HEDDLE_QUANTITY_INVALID',
          field: 'spec.components.pilot.k8s.resources.requests.memory',
          line: 11,
        },
      );
    });

    it('warns when a limit is below its request', () => {
      expectFinding(
        operator(
          'components:\n  pilot:\n    k8s:\n      resources:\n        requests: {memory: 4Gi}\n        limits:\n          memory: 2Gi\n',
        ),
        {
          code: 'HEDDLE_RESOURCES_LIMIT_BELOW_REQUEST',
          field: 'spec.components.pilot.k8s.resources.limits.memory',
          line: 12,
          level: 'Warning',
          message: '(2Gi) is below the request (4Gi)',
        },
      );
    });
  });

  describe('values', () => {
    it('warns that addon values are ignored', () => {
      for (const addon of ['grafana', 'kiali', 'tracing', 'prometheus']) {
        expectFinding(operator(`values:\n  ${addon}:\n    enabled: true\n`), {
          code: 'HEDDLE_ISTIOOPERATOR_ADDON_VALUES_IGNORED',
          field: `spec.values.${addon}`,
          line: 7,
          level: 'Warning',
        });
      }
    });

    it('warns that the Prometheus stats configOverride is not used, pointing at the Telemetry API', () => {
      expectFinding(
        operator('values:\n  telemetry:\n    v2:\n      prometheus:\n        configOverride: {}\n'),
        {
          code: 'HEDDLE_ISTIOOPERATOR_STATS_OVERRIDE_IGNORED',
          field: 'spec.values.telemetry.v2.prometheus.configOverride',
          line: 10,
          level: 'Warning',
          message: 'Telemetry API',
        },
      );
    });

    it('explains how the sidecar memory limit is used', () => {
      expectFinding(
        operator(
          'values:\n  global:\n    proxy:\n      resources:\n        limits:\n          memory: 512Mi\n',
        ),
        {
          code: 'HEDDLE_ISTIOOPERATOR_PROXY_RESOURCES',
          line: 11,
          level: 'Info',
          message: 'heap from this memory limit (512Mi)',
        },
      );
    });

    it('checks sidecar resource quantities', () => {
      expectFinding(
        operator(
          'values:\n  global:\n    proxy:\n      resources:\n        limits:\n          memory: 512m\n',
        ),
        {
          code: 'HEDDLE_QUANTITY_SUSPICIOUS',
          line: 11,
          message: '"512Mi"',
        },
      );
    });

    it('notes pilot flags that have no effect and flags it does not know', () => {
      expectFinding(operator('values:\n  pilot:\n    env:\n      EXTERNAL_ISTIOD: false\n'), {
        code: 'HEDDLE_ISTIOOPERATOR_PILOT_ENV_NO_EFFECT',
        field: 'spec.values.pilot.env.EXTERNAL_ISTIOD',
        line: 9,
        level: 'Info',
      });
      expectFinding(operator('values:\n  pilot:\n    env:\n      SOMETHING_ELSE: "1"\n'), {
        code: 'HEDDLE_ISTIOOPERATOR_PILOT_ENV_UNKNOWN',
        field: 'spec.values.pilot.env.SOMETHING_ELSE',
        line: 9,
        level: 'Info',
      });
    });

    it('rejects pilot flag values of the wrong type', () => {
      expectFinding(operator('values:\n  pilot:\n    env:\n      PILOT_DEBOUNCE_AFTER: soon\n'), {
        code: 'HEDDLE_ISTIOOPERATOR_PILOT_ENV_INVALID',
        line: 9,
        message: 'duration',
      });
      expectFinding(operator('values:\n  pilot:\n    env:\n      PILOT_HTTP10: maybe\n'), {
        code: 'HEDDLE_ISTIOOPERATOR_PILOT_ENV_INVALID',
        field: 'spec.values.pilot.env.PILOT_HTTP10',
        line: 9,
        message: 'true or false',
      });
    });

    it('rejects a tracer address without a port', () => {
      expectFinding(operator('values:\n  global:\n    tracer:\n      zipkin:\n        address: zipkin\n'), {
        code: 'HEDDLE_MESHCONFIG_ADDRESS_INVALID',
        line: 10,
      });
    });
  });
});
