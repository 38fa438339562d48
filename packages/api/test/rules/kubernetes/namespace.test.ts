import { describe, it } from 'node:test';
import { expectClean, expectFinding } from '../../helpers/findings.ts';

function namespace(labels: string): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n${labels}`;
}

describe('Namespace', () => {
  it('accepts a namespace with injection enabled, disabled, by revision, or without labels', () => {
    expectClean(namespace('    istio-injection: enabled\n'));
    expectClean(namespace('    istio-injection: disabled\n'));
    expectClean(namespace('    istio.io/rev: 1-13\n'));
    expectClean('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: plain\n');
  });

  it('warns when both istio-injection and istio.io/rev are set (IST0123)', () => {
    expectFinding(namespace('    istio-injection: enabled\n    istio.io/rev: canary\n'), {
      code: 'HEDDLE_NAMESPACE_MULTIPLE_INJECTION_LABELS',
      field: 'metadata.labels["istio.io/rev"]',
      line: 7,
      level: 'Warning',
      message: 'istio-injection wins',
    });
  });

  it('warns about an injection label value that turns nothing on', () => {
    expectFinding(namespace('    istio-injection: "true"\n'), {
      code: 'HEDDLE_NAMESPACE_INJECTION_LABEL_INVALID',
      field: 'metadata.labels.istio-injection',
      line: 6,
      level: 'Warning',
      message: '"enabled" or "disabled"',
    });
  });

  it('warns about an empty revision label', () => {
    expectFinding(namespace('    istio.io/rev: ""\n'), {
      code: 'HEDDLE_NAMESPACE_INJECTION_LABEL_INVALID',
      line: 6,
      message: 'empty revision',
    });
  });
});
