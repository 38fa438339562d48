import { describe, it } from 'node:test';
import { expectClean, expectFinding, expectNoFinding } from '../helpers/findings.ts';

/** An IstioOperator whose meshConfig is `mesh`: mesh line N is file line N + 4. */
function operator(mesh: string): string {
  const indented = mesh
    .split('\n')
    .map((line) => (line === '' ? line : `    ${line}`))
    .join('\n');
  return `apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  meshConfig:\n${indented}`;
}

const PATH = 'spec.meshConfig';

describe('meshConfig', () => {
  it('accepts the settings people commonly write', () => {
    expectClean(
      operator(`accessLogFile: /dev/stdout
accessLogEncoding: JSON
accessLogFormat: '{"code": "%RESPONSE_CODE%", "path": "%REQ(:PATH)%"}'
enableTracing: true
enableAutoMtls: true
enablePrometheusMerge: false
trustDomain: example.com
trustDomainAliases: [old.example.com]
rootNamespace: istio-system
outboundTrafficPolicy:
  mode: REGISTRY_ONLY
pathNormalization:
  normalization: MERGE_SLASHES
connectTimeout: 5s
protocolDetectionTimeout: 0s
defaultConfig:
  concurrency: 0
  holdApplicationUntilProxyStarts: true
  terminationDrainDuration: 30s
  drainDuration: 45s
  proxyMetadata:
    ISTIO_META_DNS_CAPTURE: "true"
  tracing:
    sampling: 10
    zipkin:
      address: zipkin.istio-system:9411
  proxyStatsMatcher:
    inclusionPrefixes: [cluster.outbound]
    inclusionRegexps: [".*circuit_breakers.*"]
    exclusionRegexps: [".*osconfig.*"]
extensionProviders:
- name: ext-authz
  envoyExtAuthzHttp:
    service: ext-authz.auth.svc.cluster.local
    port: 8000
    timeout: 1s
    failOpen: false
    includeRequestHeadersInCheck: [authorization]
    headersToUpstreamOnAllow: [x-user]
- name: otel
  opentelemetry:
    service: tracing/otel-collector.observability
    port: 4317
- name: zipkin
  zipkin: {service: zipkin.istio-system, port: 9411, maxTagLength: 256}
- name: logs
  envoyFileAccessLog:
    path: /dev/stdout
    logFormat:
      labels:
        code: "%RESPONSE_CODE%"
- name: metrics
  prometheus: {}
defaultProviders:
  tracing: [otel]
  metrics: [prometheus]
  accessLogging: [logs]
`),
    );
  });

  it('rejects an unknown top-level field and suggests the right one', () => {
    expectFinding(operator('acessLogFile: /dev/stdout\n'), {
      code: 'HEDDLE_UNKNOWN_FIELD',
      field: `${PATH}.acessLogFile`,
      line: 5,
      level: 'Error',
      message: 'did you mean "accessLogFile"?',
    });
  });

  it('says field names are case-sensitive when only the case differs', () => {
    expectFinding(operator('enableAutoMTLS: true\n'), {
      code: 'HEDDLE_UNKNOWN_FIELD',
      field: `${PATH}.enableAutoMTLS`,
      line: 5,
      message: 'write "enableAutoMtls"',
    });
  });

  it('asks for camelCase instead of the proto field names', () => {
    expectFinding(operator('access_log_file: /dev/stdout\n'), {
      code: 'HEDDLE_UNKNOWN_FIELD',
      line: 5,
      message: 'write "accessLogFile"',
    });
  });

  it('explains fields that Istio removed', () => {
    expectFinding(operator('mixerCheckServer: istio-policy:15004\n'), {
      code: 'HEDDLE_MESHCONFIG_FIELD_REMOVED',
      field: `${PATH}.mixerCheckServer`,
      line: 5,
      message: 'Telemetry API',
    });
    expectFinding(operator('terminationDrainDuration: 5s\n'), {
      code: 'HEDDLE_MESHCONFIG_FIELD_REMOVED',
      message: 'defaultConfig.terminationDrainDuration',
    });
  });

  it('rejects an unknown access-log command operator, naming it', () => {
    expectFinding(operator('accessLogFormat: "%START_TIME% %RESPONSE_CODES%"\n'), {
      code: 'HEDDLE_MESHCONFIG_ACCESS_LOG_FORMAT_INVALID',
      field: `${PATH}.accessLogFormat`,
      line: 5,
      message: '%RESPONSE_CODES%',
    });
  });

  it('rejects an unbalanced % in a multi-line access-log format, with the format line', () => {
    expectFinding(
      operator(`accessLogFormat: |
  [%START_TIME%] %REQ(:METHOD)%
  %RESPONSE_CODE %DURATION%
`),
      { code: 'HEDDLE_MESHCONFIG_ACCESS_LOG_FORMAT_INVALID', line: 5, message: 'format line 2' },
    );
  });

  it('requires a JSON object as the format when the encoding is JSON', () => {
    expectFinding(operator('accessLogEncoding: JSON\naccessLogFormat: "%RESPONSE_CODE%"\n'), {
      code: 'HEDDLE_MESHCONFIG_ACCESS_LOG_FORMAT_INVALID',
      field: `${PATH}.accessLogFormat`,
      line: 6,
      message: 'JSON object',
    });
  });

  it('rejects encodings and outbound modes that do not exist', () => {
    expectFinding(operator('accessLogEncoding: YAML\n'), {
      code: 'HEDDLE_SCHEMA_ENUM',
      field: `${PATH}.accessLogEncoding`,
      line: 5,
    });
    expectFinding(operator('outboundTrafficPolicy:\n  mode: ALLOW_ALL\n'), {
      code: 'HEDDLE_SCHEMA_ENUM',
      field: `${PATH}.outboundTrafficPolicy.mode`,
      line: 6,
      message: 'Did you mean "ALLOW_ANY"?',
    });
    expectFinding(operator('pathNormalization:\n  normalization: MERGE\n'), {
      code: 'HEDDLE_SCHEMA_ENUM',
      line: 6,
    });
  });

  it('rejects a boolean written as a string', () => {
    expectFinding(operator('enableTracing: "yes"\n'), { code: 'HEDDLE_SCHEMA_TYPE', line: 5 });
  });

  it('rejects an invalid duration', () => {
    expectFinding(operator('connectTimeout: 10\n'), {
      code: 'HEDDLE_DURATION_INVALID',
      field: `${PATH}.connectTimeout`,
      line: 5,
      message: 'add a unit',
    });
    expectFinding(operator('defaultConfig:\n  terminationDrainDuration: soon\n'), {
      code: 'HEDDLE_DURATION_INVALID',
      line: 6,
    });
  });

  it('rejects a negative or quoted concurrency', () => {
    expectFinding(operator('defaultConfig:\n  concurrency: -1\n'), {
      code: 'HEDDLE_MESHCONFIG_CONCURRENCY_INVALID',
      field: `${PATH}.defaultConfig.concurrency`,
      line: 6,
    });
    expectFinding(operator('defaultConfig:\n  concurrency: "2"\n'), {
      code: 'HEDDLE_MESHCONFIG_CONCURRENCY_INVALID',
      message: 'without quotes',
    });
  });

  it('rejects a sampling rate outside 0-100', () => {
    expectFinding(operator('defaultConfig:\n  tracing:\n    sampling: 150\n'), {
      code: 'HEDDLE_PERCENT_INVALID',
      line: 7,
    });
  });

  it('rejects a Zipkin address without a port', () => {
    expectFinding(operator('defaultConfig:\n  tracing:\n    zipkin:\n      address: zipkin.istio-system\n'), {
      code: 'HEDDLE_MESHCONFIG_ADDRESS_INVALID',
      field: `${PATH}.defaultConfig.tracing.zipkin.address`,
      line: 8,
    });
  });

  it('rejects proxy metadata values that are not strings', () => {
    expectFinding(operator('defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: true\n'), {
      code: 'HEDDLE_SCHEMA_TYPE',
      line: 7,
      message: 'quote it',
    });
  });

  it('warns about a misspelt defaultConfig field', () => {
    expectFinding(operator('defaultConfig:\n  concurency: 2\n'), {
      code: 'HEDDLE_UNKNOWN_FIELD',
      level: 'Warning',
      line: 6,
      message: '"concurrency"',
    });
  });

  it('rejects proxyStatsMatcher regexes that RE2 cannot run', () => {
    expectFinding(
      operator('defaultConfig:\n  proxyStatsMatcher:\n    inclusionRegexps:\n    - "(?!foo).*"\n'),
      {
        code: 'HEDDLE_REGEX_INVALID',
        field: `${PATH}.defaultConfig.proxyStatsMatcher.inclusionRegexps[0]`,
        line: 8,
        message: 'look-ahead',
      },
    );
  });

  it('rejects an unknown proxyStatsMatcher field', () => {
    expectFinding(operator('defaultConfig:\n  proxyStatsMatcher:\n    inclusionRegex: [".*"]\n'), {
      code: 'HEDDLE_UNKNOWN_FIELD',
      line: 7,
      message: 'inclusionRegexps',
    });
  });

  it('rejects an invalid trust domain and root namespace', () => {
    expectFinding(operator('trustDomain: "Cluster Local"\n'), {
      code: 'HEDDLE_MESHCONFIG_TRUST_DOMAIN_INVALID',
      line: 5,
    });
    expectFinding(operator('trustDomainAliases: [ok.example, "bad domain"]\n'), {
      code: 'HEDDLE_MESHCONFIG_TRUST_DOMAIN_INVALID',
      field: `${PATH}.trustDomainAliases[1]`,
      line: 5,
    });
    expectFinding(operator('rootNamespace: Istio_System\n'), { code: 'HEDDLE_NAME_INVALID', line: 5 });
  });

  it('rejects extension providers with the same name', () => {
    expectFinding(
      operator(`extensionProviders:
- name: tracing
  zipkin: {service: zipkin.istio-system, port: 9411}
- name: tracing
  opentelemetry: {service: otel.observability, port: 4317}
`),
      {
        code: 'HEDDLE_DUPLICATE_ENTRY',
        field: `${PATH}.extensionProviders[1].name`,
        line: 8,
      },
    );
  });

  it('rejects an extension provider without a name or without a type', () => {
    expectFinding(operator('extensionProviders:\n- zipkin: {service: zipkin.istio-system, port: 9411}\n'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: `${PATH}.extensionProviders[0].name`,
      line: 6,
    });
    expectFinding(operator('extensionProviders:\n- name: lonely\n'), {
      code: 'HEDDLE_MESHCONFIG_PROVIDER_INVALID',
      field: `${PATH}.extensionProviders[0]`,
      line: 6,
    });
  });

  it('rejects an extension provider with two types', () => {
    expectFinding(
      operator(`extensionProviders:
- name: both
  zipkin: {service: zipkin.istio-system, port: 9411}
  opentelemetry: {service: otel.observability, port: 4317}
`),
      { code: 'HEDDLE_CONFLICTING_FIELDS', field: `${PATH}.extensionProviders[0].opentelemetry`, line: 8 },
    );
  });

  it('rejects a misspelt provider type', () => {
    expectFinding(
      operator('extensionProviders:\n- name: authz\n  envoyExtAuthzHTTP: {service: authz.auth, port: 80}\n'),
      { code: 'HEDDLE_UNKNOWN_FIELD', line: 7, message: 'envoyExtAuthzHttp' },
    );
  });

  it('requires a valid service and port for remote providers', () => {
    expectFinding(operator('extensionProviders:\n- name: authz\n  envoyExtAuthzGrpc:\n    port: 9000\n'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: `${PATH}.extensionProviders[0].envoyExtAuthzGrpc.service`,
      line: 7,
    });
    expectFinding(
      operator(
        'extensionProviders:\n- name: authz\n  envoyExtAuthzGrpc:\n    service: authz.auth\n    port: 70000\n',
      ),
      { code: 'HEDDLE_PORT_INVALID', line: 9 },
    );
    expectFinding(
      operator(
        'extensionProviders:\n- name: authz\n  envoyExtAuthzGrpc:\n    service: "*.auth"\n    port: 9000\n',
      ),
      { code: 'HEDDLE_HOST_INVALID', line: 8 },
    );
    expectFinding(
      operator(
        'extensionProviders:\n- name: authz\n  envoyExtAuthzHttp:\n    service: authz.auth\n    port: 80\n    timeout: fast\n',
      ),
      { code: 'HEDDLE_DURATION_INVALID', line: 10 },
    );
  });

  it('checks the log format of a file access-log provider', () => {
    expectFinding(
      operator(
        'extensionProviders:\n- name: logs\n  envoyFileAccessLog:\n    logFormat:\n      text: "%DURATON%"\n',
      ),
      { code: 'HEDDLE_MESHCONFIG_ACCESS_LOG_FORMAT_INVALID', line: 9, message: '%DURATION%' },
    );
    expectFinding(
      operator(
        'extensionProviders:\n- name: logs\n  envoyFileAccessLog:\n    logFormat:\n      text: "%DURATION%"\n      labels: {d: "%DURATION%"}\n',
      ),
      { code: 'HEDDLE_CONFLICTING_FIELDS', line: 10 },
    );
  });

  it('warns about deprecated provider types', () => {
    expectFinding(
      operator('extensionProviders:\n- name: ls\n  lightstep: {service: lightstep.example.com, port: 443}\n'),
      {
        code: 'HEDDLE_DEPRECATED_FIELD',
        field: `${PATH}.extensionProviders[0].lightstep`,
        level: 'Warning',
        line: 7,
      },
    );
  });

  it('warns when a default provider does not exist', () => {
    expectFinding(operator('defaultProviders:\n  tracing: [jaeger]\n'), {
      code: 'HEDDLE_MESHCONFIG_DEFAULT_PROVIDER_UNKNOWN',
      field: `${PATH}.defaultProviders.tracing[0]`,
      level: 'Warning',
      line: 6,
    });
    expectNoFinding(
      operator('defaultProviders:\n  metrics: [prometheus]\n'),
      'HEDDLE_MESHCONFIG_DEFAULT_PROVIDER_UNKNOWN',
    );
  });
});

describe('meshConfig in the istio ConfigMap', () => {
  const configMap = (mesh: string): string =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n  namespace: istio-system\ndata:\n  mesh: |\n${mesh
      .split('\n')
      .map((line) => (line === '' ? line : `    ${line}`))
      .join('\n')}`;

  it('accepts a valid mesh text', () => {
    expectClean(configMap('accessLogFile: /dev/stdout\ndefaultConfig:\n  concurrency: 2\n'));
  });

  it('reports at the mesh key with the line inside the mesh text', () => {
    expectFinding(configMap('accessLogFile: /dev/stdout\ndefaultConfig:\n  concurrency: -3\n'), {
      code: 'HEDDLE_MESHCONFIG_CONCURRENCY_INVALID',
      field: 'data.mesh.defaultConfig.concurrency',
      line: 7,
      message: '(mesh line 3)',
    });
  });

  it('reports mesh text that is not YAML', () => {
    expectFinding(configMap('defaultConfig:\n  concurrency: 2\n   tracing: {}\n'), {
      code: 'HEDDLE_MESHCONFIG_YAML_INVALID',
      field: 'data.mesh',
      line: 7,
      message: 'mesh line',
    });
  });
});
