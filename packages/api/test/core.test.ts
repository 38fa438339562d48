import { describe, it } from 'node:test';
import { expectClean, expectFinding } from './helpers/findings.ts';

describe('document identification', () => {
  it('accepts a minimal VirtualService', () => {
    expectClean(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews}
`);
  });

  it('reports kinds that are not mesh resources as Info', () => {
    expectFinding('apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\n', {
      code: 'HEDDLE_NOT_A_MESH_RESOURCE',
      level: 'Info',
      line: 2,
    });
  });

  it('refuses an API version Istio does not serve for the kind', () => {
    expectFinding(
      'apiVersion: networking.istio.io/v2\nkind: VirtualService\nmetadata: {name: x}\nspec: {}\n',
      {
        code: 'HEDDLE_UNKNOWN_API_VERSION',
        field: 'apiVersion',
        line: 1,
        message: 'networking.istio.io/v1',
      },
    );
  });

  it('names removed Mixer APIs and what replaces them', () => {
    expectFinding('apiVersion: config.istio.io/v1alpha2\nkind: handler\nmetadata: {name: x}\nspec: {}\n', {
      code: 'HEDDLE_REMOVED_API',
      message: 'Telemetry API',
    });
  });

  it('reports unknown fields with a suggestion and the line of the field', () => {
    expectFinding(
      `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: r}
spec:
  host: r
  trafficPolicy:
    conectionPool: {}
`,
      {
        code: 'HEDDLE_UNKNOWN_FIELD',
        field: 'spec.trafficPolicy.conectionPool',
        line: 7,
        message: 'connectionPool',
      },
    );
  });

  it('reports schema type errors at the field', () => {
    expectFinding(
      `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: r}
spec:
  host: r
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: lots
`,
      { code: 'HEDDLE_SCHEMA_TYPE', field: 'spec.trafficPolicy.connectionPool.tcp.maxConnections', line: 9 },
    );
  });

  it('reports enum values that do not exist, with a suggestion', () => {
    expectFinding(
      `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: r}
spec:
  host: r
  trafficPolicy:
    loadBalancer: {simple: ROUND_ROBBIN}
`,
      { code: 'HEDDLE_SCHEMA_ENUM', field: 'spec.trafficPolicy.loadBalancer.simple', message: 'ROUND_ROBIN' },
    );
  });

  it('requires metadata.name and a valid namespace', () => {
    expectFinding(
      'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {namespace: Bad_NS}\nspec: {}\n',
      {
        code: 'HEDDLE_METADATA_NAMESPACE_INVALID',
        field: 'metadata.namespace',
      },
    );
    expectFinding('apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {}\nspec: {}\n', {
      code: 'HEDDLE_METADATA_NAME_MISSING',
    });
  });
});

describe('YAML problems', () => {
  it('reports tabs, duplicate keys and bad indentation with their lines, and keeps other documents', () => {
    const text = 'a: 1\na: 2\n---\nb:\n\tc: 1\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: ok}\n';
    expectFinding(text, { code: 'HEDDLE_YAML_DUPLICATE_KEY', line: 2 });
    expectFinding(text, { code: 'HEDDLE_YAML_TAB_INDENT', line: 5 });
    expectFinding(text, { code: 'HEDDLE_NOT_A_MESH_RESOURCE', line: 8 });
  });

  it('refuses documents nested too deeply', () => {
    expectFinding('a: ' + '['.repeat(200) + ']'.repeat(200) + '\n', { code: 'HEDDLE_YAML_TOO_DEEP' });
  });
});

describe('schema type hints', () => {
  it('asks for a unit, not quotes, when a duration is written as a bare number', () => {
    expectFinding(
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: r}
spec:
  hosts: [r]
  http:
  - timeout: 5
    route: [{destination: {host: r}}]
`,
      { code: 'HEDDLE_SCHEMA_TYPE', field: 'spec.http[0].timeout', line: 7, message: '"5s"' },
    );
  });

  it('asks to quote a number where a plain string belongs', () => {
    expectFinding(
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: r}
spec:
  hosts: [r]
  http:
  - route: [{destination: {host: r, subset: 2}}]
`,
      {
        code: 'HEDDLE_SCHEMA_TYPE',
        field: 'spec.http[0].route[0].destination.subset',
        message: 'quote it: "2"',
      },
    );
  });
});
