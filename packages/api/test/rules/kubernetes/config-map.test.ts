import { describe, it } from 'node:test';
import { expectClean, expectFinding, expectNoFinding } from '../../helpers/findings.ts';

function configMap(name: string, data: string, namespace = 'istio-system'): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n${data}`;
}

describe('ConfigMap', () => {
  it('accepts the istio ConfigMap with a valid mesh', () => {
    expectClean(
      configMap(
        'istio',
        `  mesh: |
    accessLogFile: /dev/stdout
    accessLogFormat: |
      [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%"
      %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT%
    defaultConfig:
      proxyStatsMatcher:
        inclusionRegexps: [".*circuit_breakers.*"]
`,
      ),
    );
  });

  it('accepts a revisioned mesh ConfigMap', () => {
    expectClean(configMap('istio-1-13', '  mesh: |\n    enableTracing: true\n'));
  });

  it('checks the mesh text as a meshConfig, reporting its inner line', () => {
    expectFinding(
      configMap('istio', '  mesh: |\n    accessLogFile: /dev/stdout\n    accessLogFormat: "%BOGUS%"\n'),
      {
        code: 'HEDDLE_MESHCONFIG_ACCESS_LOG_FORMAT_INVALID',
        field: 'data.mesh.accessLogFormat',
        line: 7,
        message: '%BOGUS% (at character 1) (mesh line 2)',
      },
    );
  });

  it('rejects a mesh written as a map instead of text', () => {
    expectFinding(configMap('istio', '  mesh:\n    enableTracing: true\n'), {
      code: 'HEDDLE_MESHCONFIG_YAML_INVALID',
      field: 'data.mesh',
      line: 7,
      message: 'mesh: |',
    });
  });

  it('notes that meshNetworks is ignored', () => {
    expectFinding(configMap('istio', '  mesh: "{}"\n  meshNetworks: "networks: {}"\n'), {
      code: 'HEDDLE_CONFIGMAP_MESH_NETWORKS_IGNORED',
      field: 'data.meshNetworks',
      line: 8,
      level: 'Info',
    });
  });

  it('warns about unknown keys in the istio ConfigMap', () => {
    expectFinding(configMap('istio', '  meshConfig: "{}"\n'), {
      code: 'HEDDLE_UNKNOWN_FIELD',
      field: 'data.meshConfig',
      line: 7,
      level: 'Warning',
      message: 'the key is "mesh"',
    });
  });

  it('notes an istio ConfigMap without a mesh key', () => {
    expectFinding(configMap('istio', '  other: x\n'), {
      code: 'HEDDLE_CONFIGMAP_MESH_MISSING',
      field: 'data',
      line: 6,
      level: 'Info',
    });
  });

  it('warns when the istio ConfigMap is outside the control-plane namespace', () => {
    expectFinding(configMap('istio', '  mesh: "{}"\n', 'shop'), {
      code: 'HEDDLE_CONFIGMAP_WRONG_NAMESPACE',
      field: 'metadata.namespace',
      line: 5,
      level: 'Warning',
    });
  });

  it('notes that the sidecar injector ConfigMap is a Kubernetes concern', () => {
    expectFinding(configMap('istio-sidecar-injector', '  values: "{}"\n'), {
      code: 'HEDDLE_CONFIGMAP_INJECTOR_IGNORED',
      line: 4,
      level: 'Info',
      message: 'heddle run',
    });
  });

  it('notes that other ConfigMaps are not mesh ConfigMaps', () => {
    expectFinding(configMap('app-settings', '  LOG_LEVEL: debug\n', 'shop'), {
      code: 'HEDDLE_CONFIGMAP_NOT_MESH',
      field: 'metadata.name',
      line: 4,
      level: 'Info',
    });
    expectNoFinding(
      configMap('app-settings', '  mesh: "not: [valid"\n', 'shop'),
      'HEDDLE_MESHCONFIG_YAML_INVALID',
    );
  });
});
