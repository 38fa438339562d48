import { describe, it } from 'node:test';
import { expectClean, expectFinding } from '../../helpers/findings.ts';

/** A Telemetry whose spec body starts on line 5. */
function telemetry(body: string, apiVersion = 'telemetry.istio.io/v1'): string {
  return `apiVersion: ${apiVersion}
kind: Telemetry
metadata: {name: mesh-default, namespace: istio-system}
spec:
${body}`;
}

describe('Telemetry: valid resources', () => {
  it('accepts tracing, metrics and access logging together', () => {
    expectClean(
      telemetry(`  tracing:
  - providers: [{name: zipkin}]
    randomSamplingPercentage: 1.0
    customTags:
      cluster: {literal: {value: east}}
      user: {header: {name: x-user, defaultValue: anonymous}}
      pod: {environment: {name: POD_NAME}}
  metrics:
  - providers: [{name: prometheus}]
    reportingInterval: 15s
    overrides:
    - match: {metric: REQUEST_COUNT, mode: SERVER}
      tagOverrides:
        request_path: {operation: UPSERT, value: "request.url_path"}
        grpc_code: {value: "has(response.grpc_status) ? string(response.grpc_status) : 'none'"}
        request_protocol: {operation: REMOVE}
    - match: {customMetric: my_custom_total}
      disabled: true
  accessLogging:
  - providers: [{name: envoy}]
    filter:
      expression: "response.code >= 400 || request.headers['x-debug'] == \\"1\\""
`),
    );
  });

  it('accepts the v1alpha1 API the seeds use', () => {
    expectClean(
      telemetry(
        '  tracing:\n  - providers:\n    - name: zipkin\n    randomSamplingPercentage: 100.0\n',
        'telemetry.istio.io/v1alpha1',
      ),
    );
  });
});

describe('Telemetry: tracing', () => {
  it('rejects more than one tracing entry', () => {
    expectFinding(
      telemetry('  tracing:\n  - providers: [{name: zipkin}]\n  - providers: [{name: jaeger}]\n'),
      {
        code: 'HEDDLE_TELEMETRY_TRACING_MULTIPLE',
        level: 'Error',
        field: 'spec.tracing[1]',
        line: 7,
      },
    );
  });

  it('warns that only the first of several tracing providers is used', () => {
    expectFinding(telemetry('  tracing:\n  - providers:\n    - name: zipkin\n    - name: jaeger\n'), {
      code: 'HEDDLE_TELEMETRY_TRACING_PROVIDERS',
      level: 'Warning',
      field: 'spec.tracing[0].providers[1]',
      line: 8,
    });
  });

  it('rejects a sampling percentage outside 0..100', () => {
    expectFinding(telemetry('  tracing:\n  - randomSamplingPercentage: 150\n'), {
      code: 'HEDDLE_SCHEMA_INVALID',
      field: 'spec.tracing[0].randomSamplingPercentage',
      line: 6,
    });
    expectFinding(telemetry('  tracing:\n  - randomSamplingPercentage: -1\n'), {
      code: 'HEDDLE_SCHEMA_INVALID',
      line: 6,
    });
  });

  it('rejects custom tags without a source or with empty values', () => {
    const yaml = telemetry(`  tracing:
  - customTags:
      cluster: {}
      team: {literal: {value: ""}}
      user: {header: {}}
      "x": {environment: {name: ""}}
`);
    expectFinding(yaml, {
      code: 'HEDDLE_TELEMETRY_CUSTOM_TAG_INVALID',
      field: 'spec.tracing[0].customTags.cluster',
      line: 7,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_SCHEMA_INVALID',
      field: 'spec.tracing[0].customTags.team.literal.value',
      line: 8,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.tracing[0].customTags.user.header.name',
      line: 9,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_SCHEMA_INVALID',
      field: 'spec.tracing[0].customTags.x.environment.name',
      line: 10,
    });
  });

  it('rejects an empty custom tag name and a header name that is not a token', () => {
    const yaml = telemetry(
      '  tracing:\n  - customTags:\n      "": {literal: {value: a}}\n      user: {header: {name: "x user"}}\n',
    );
    expectFinding(yaml, {
      code: 'HEDDLE_TELEMETRY_CUSTOM_TAG_INVALID',
      field: 'spec.tracing[0].customTags[""]',
      line: 7,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_HEADER_NAME_INVALID',
      field: 'spec.tracing[0].customTags.user.header.name',
      line: 8,
    });
  });

  it('rejects providers without a name', () => {
    expectFinding(telemetry('  tracing:\n  - providers:\n    - name: ""\n'), {
      code: 'HEDDLE_SCHEMA_INVALID',
      field: 'spec.tracing[0].providers[0].name',
      line: 7,
    });
    expectFinding(telemetry('  accessLogging:\n  - providers:\n    - {}\n'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.accessLogging[0].providers[0].name',
      line: 7,
    });
  });
});

describe('Telemetry: metrics', () => {
  it('rejects an UPSERT tag override without a value', () => {
    const yaml = telemetry(`  metrics:
  - overrides:
    - tagOverrides:
        request_path: {operation: UPSERT}
        source_app: {}
        dest: {value: ""}
`);
    const tags = 'spec.metrics[0].overrides[0].tagOverrides';
    expectFinding(yaml, {
      code: 'HEDDLE_TELEMETRY_TAG_OVERRIDE_INVALID',
      field: `${tags}.request_path`,
      line: 8,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_TELEMETRY_TAG_OVERRIDE_INVALID',
      field: `${tags}.source_app`,
      line: 9,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_TELEMETRY_TAG_OVERRIDE_INVALID',
      field: `${tags}.dest.value`,
      line: 10,
    });
  });

  it('rejects a REMOVE tag override with a value', () => {
    expectFinding(
      telemetry(
        '  metrics:\n  - overrides:\n    - tagOverrides:\n        request_protocol:\n          operation: REMOVE\n          value: "x"\n',
      ),
      {
        code: 'HEDDLE_TELEMETRY_TAG_OVERRIDE_INVALID',
        field: 'spec.metrics[0].overrides[0].tagOverrides.request_protocol.value',
        line: 10,
        message: 'takes no value',
      },
    );
  });

  it('rejects an empty tag name and warns about names Prometheus cannot take', () => {
    const yaml = telemetry(`  metrics:
  - overrides:
    - match: {customMetric: "my-metric"}
      tagOverrides:
        "": {value: "request.host"}
        "request.path": {value: "request.url_path"}
`);
    expectFinding(yaml, {
      code: 'HEDDLE_TELEMETRY_METRIC_NAME_INVALID',
      level: 'Warning',
      field: 'spec.metrics[0].overrides[0].match.customMetric',
      line: 7,
      message: 'my_metric',
    });
    expectFinding(yaml, {
      code: 'HEDDLE_TELEMETRY_TAG_OVERRIDE_INVALID',
      level: 'Error',
      field: 'spec.metrics[0].overrides[0].tagOverrides[""]',
      line: 9,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_TELEMETRY_TAG_OVERRIDE_INVALID',
      level: 'Warning',
      field: 'spec.metrics[0].overrides[0].tagOverrides["request.path"]',
      line: 10,
      message: 'request_path',
    });
  });

  it('rejects an empty customMetric and unknown standard metrics', () => {
    expectFinding(telemetry('  metrics:\n  - overrides:\n    - match: {customMetric: ""}\n'), {
      code: 'HEDDLE_SCHEMA_INVALID',
      field: 'spec.metrics[0].overrides[0].match.customMetric',
      line: 7,
    });
    expectFinding(telemetry('  metrics:\n  - overrides:\n    - match: {metric: REQUESTS}\n'), {
      code: 'HEDDLE_SCHEMA_ENUM',
      field: 'spec.metrics[0].overrides[0].match.metric',
      line: 7,
    });
  });

  it('rejects a malformed tag override expression', () => {
    expectFinding(
      telemetry(
        '  metrics:\n  - overrides:\n    - tagOverrides:\n        path: {value: "request.headers[\'x\'"}\n',
      ),
      {
        code: 'HEDDLE_TELEMETRY_EXPRESSION_INVALID',
        field: 'spec.metrics[0].overrides[0].tagOverrides.path.value',
        line: 8,
        message: 'never closed',
      },
    );
  });

  it('rejects a reporting interval that is not a duration', () => {
    expectFinding(telemetry('  metrics:\n  - reportingInterval: 10\n'), {
      code: 'HEDDLE_SCHEMA_TYPE',
      field: 'spec.metrics[0].reportingInterval',
      line: 6,
    });
    expectFinding(telemetry('  metrics:\n  - reportingInterval: "10"\n'), {
      code: 'HEDDLE_DURATION_INVALID',
      field: 'spec.metrics[0].reportingInterval',
      line: 6,
      message: '"10s"',
    });
  });

  it('explains that "dimensions" is not a metrics field and what to write instead', () => {
    expectFinding(
      telemetry(
        '  metrics:\n  - providers: [{name: prometheus}]\n    dimensions: [request.path]\n',
        'telemetry.istio.io/v1alpha1',
      ),
      {
        code: 'HEDDLE_UNKNOWN_FIELD',
        field: 'spec.metrics[0].dimensions',
        line: 7,
        message: 'tagOverrides',
      },
    );
  });
});

describe('Telemetry: access logging', () => {
  it('rejects an empty or missing filter expression', () => {
    expectFinding(telemetry('  accessLogging:\n  - filter:\n      expression: "  "\n'), {
      code: 'HEDDLE_TELEMETRY_EXPRESSION_INVALID',
      field: 'spec.accessLogging[0].filter.expression',
      line: 7,
      message: 'empty',
    });
    expectFinding(telemetry('  accessLogging:\n  - filter: {}\n'), {
      code: 'HEDDLE_TELEMETRY_EXPRESSION_INVALID',
      field: 'spec.accessLogging[0].filter',
      line: 6,
    });
  });

  it('rejects an unbalanced filter expression', () => {
    expectFinding(telemetry('  accessLogging:\n  - filter:\n      expression: "(response.code >= 400"\n'), {
      code: 'HEDDLE_TELEMETRY_EXPRESSION_INVALID',
      line: 7,
      message: '"(" at character 1 is never closed',
    });
    expectFinding(telemetry('  accessLogging:\n  - filter:\n      expression: "response.code >= 400)"\n'), {
      code: 'HEDDLE_TELEMETRY_EXPRESSION_INVALID',
      line: 7,
      message: 'closes nothing',
    });
  });

  it('rejects "=" used for comparison', () => {
    expectFinding(telemetry('  accessLogging:\n  - filter:\n      expression: "response.code = 500"\n'), {
      code: 'HEDDLE_TELEMETRY_EXPRESSION_INVALID',
      line: 7,
      message: '"=="',
    });
  });
});
