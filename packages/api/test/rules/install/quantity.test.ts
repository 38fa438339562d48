import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuantity } from '../../../src/index.ts';
import { expectFinding, expectNoFinding } from '../../helpers/findings.ts';

describe('parseQuantity', () => {
  it('reads millicores, cores and YAML numbers', () => {
    assert.equal(parseQuantity('500m')?.value, 0.5);
    assert.equal(parseQuantity('2')?.value, 2);
    assert.equal(parseQuantity(0.25)?.value, 0.25);
  });

  it('reads binary and decimal memory units and exponents', () => {
    assert.equal(parseQuantity('2Gi')?.value, 2 * 1024 ** 3);
    assert.equal(parseQuantity('128Mi')?.value, 128 * 1024 ** 2);
    assert.equal(parseQuantity('1G')?.value, 1e9);
    assert.equal(parseQuantity('1.5k')?.value, 1500);
    assert.equal(parseQuantity('1e3')?.value, 1000);
  });

  it('refuses what Kubernetes refuses', () => {
    for (const text of ['2GB', 'lots', '', '1.2.3', 'Mi', '5 Mi', '1ki'])
      assert.equal(parseQuantity(text), undefined, text);
    assert.equal(parseQuantity(true), undefined);
  });
});

/** A Deployment whose single container has `resources` (indented for it); resources line N is file line 14 + N. */
function deployment(resources: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api, version: v1}
    spec:
      containers:
      - name: api
        image: api:1
        resources:
${resources
  .split('\n')
  .map((line) => (line === '' ? line : `          ${line}`))
  .join('\n')}`;
}

describe('container resources', () => {
  it('accepts ordinary requests and limits', () => {
    expectNoFinding(
      deployment('requests: {cpu: 200m, memory: 256Mi}\nlimits: {cpu: 1, memory: 1Gi}\n'),
      'HEDDLE_QUANTITY_INVALID',
    );
  });

  it('rejects a quantity Kubernetes cannot read', () => {
    expectFinding(deployment('requests:\n  memory: 1GB\n'), {
      code: 'HEDDLE_QUANTITY_INVALID',
      field: 'spec.template.spec.containers[0].resources.requests.memory',
      line: 16,
      message: '"512Mi"',
    });
  });

  it('rejects a negative quantity', () => {
    expectFinding(deployment('requests:\n  cpu: -1\n'), {
      code: 'HEDDLE_QUANTITY_INVALID',
      field: 'spec.template.spec.containers[0].resources.requests.cpu',
      line: 16,
      message: 'negative',
    });
  });

  it('warns about memory in millibytes or plain bytes and CPU in thousands of cores', () => {
    expectFinding(deployment('limits:\n  memory: 512m\n'), {
      code: 'HEDDLE_QUANTITY_SUSPICIOUS',
      line: 16,
      message: '512Mi',
    });
    expectFinding(deployment('limits:\n  memory: 512\n'), {
      code: 'HEDDLE_QUANTITY_SUSPICIOUS',
      message: 'bytes',
    });
    expectFinding(deployment('limits:\n  cpu: 2000\n'), {
      code: 'HEDDLE_QUANTITY_SUSPICIOUS',
      message: '"2000m"',
    });
  });

  it('warns when a limit is below the request', () => {
    expectFinding(deployment('requests: {cpu: "2"}\nlimits:\n  cpu: 500m\n'), {
      code: 'HEDDLE_RESOURCES_LIMIT_BELOW_REQUEST',
      field: 'spec.template.spec.containers[0].resources.limits.cpu',
      line: 17,
      level: 'Warning',
    });
  });

  it('rejects unknown fields of resources', () => {
    expectFinding(deployment('limit: {cpu: 1}\n'), {
      code: 'HEDDLE_UNKNOWN_FIELD',
      field: 'spec.template.spec.containers[0].resources.limit',
      line: 15,
      message: '"limits"',
    });
  });
});
