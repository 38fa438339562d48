import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding, Level } from '../../../src/findings/finding.ts';
import { checkExportTo } from '../../../src/rules/common/export-to.ts';
import type { FieldPath } from '../../../src/source/field-path.ts';
import type { RuleContext } from '../../../src/validate/rule-context.ts';
import { expectClean, expectFinding } from '../../helpers/findings.ts';

// A context that records findings without a source document, to test the helper on its own.
function recordingContext(namespace = 'shop'): { ctx: RuleContext; findings: Finding[] } {
  const findings: Finding[] = [];
  const report = (level: Level, code: string, path: FieldPath, message: string): void => {
    findings.push({ level, code, message, field: path.join('.') });
  };
  const ctx: RuleContext = {
    resource: { kind: 'ServiceEntry', namespace, name: 'test' },
    object: {},
    namespace,
    report,
    error: (code, path, message) => report('Error', code, path, message),
    warn: (code, path, message) => report('Warning', code, path, message),
    info: (code, path, message) => report('Info', code, path, message),
  };
  return { ctx, findings };
}

const vs = (exportTo: string): string => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  exportTo: ${exportTo}
  http:
  - route: [{destination: {host: reviews}}]
`;

describe('exportTo', () => {
  it('accepts ".", "*" alone, and namespace names', () => {
    expectClean(vs('["."]'));
    expectClean(vs('["*"]'));
    expectClean(vs('[".", frontend, backend]'));
  });

  it('rejects entries that are not namespace names', () => {
    expectFinding(vs('[".", Front_End]'), {
      code: 'HEDDLE_EXPORT_TO_INVALID',
      field: 'spec.exportTo[1]',
      line: 6,
      message: '"Front_End"',
    });
  });

  it('rejects duplicates, counting "." as the own namespace', () => {
    expectFinding(vs('[frontend, frontend]'), {
      code: 'HEDDLE_EXPORT_TO_INVALID',
      field: 'spec.exportTo[1]',
      message: 'twice',
    });
    expectFinding(vs('[shop, "."]'), {
      code: 'HEDDLE_EXPORT_TO_INVALID',
      field: 'spec.exportTo[1]',
      line: 6,
      message: 'own namespace "shop"',
    });
  });

  it('rejects "*" combined with other entries', () => {
    expectFinding(vs('[frontend, "*"]'), {
      code: 'HEDDLE_EXPORT_TO_INVALID',
      field: 'spec.exportTo[1]',
      line: 6,
    });
  });

  it('rejects "~" unless the kind allows it', () => {
    expectFinding(vs('["~"]'), {
      code: 'HEDDLE_EXPORT_TO_INVALID',
      field: 'spec.exportTo[0]',
      message: 'ServiceEntry',
    });
    const { ctx, findings } = recordingContext();
    checkExportTo(ctx, ['~'], ['spec', 'exportTo'], { allowTilde: true });
    assert.deepEqual(findings, []);
  });

  it('rejects "~" combined with other entries where it is allowed', () => {
    const { ctx, findings } = recordingContext();
    checkExportTo(ctx, ['~', 'frontend'], ['spec', 'exportTo'], { allowTilde: true });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.code, 'HEDDLE_EXPORT_TO_INVALID');
    assert.equal(findings[0]?.field, 'spec.exportTo.0');
  });

  it('returns the namespaces named, with "." resolved to the own namespace', () => {
    const { ctx } = recordingContext('shop');
    const namespaces = checkExportTo(ctx, ['.', 'frontend'], ['spec', 'exportTo']);
    assert.deepEqual([...namespaces].sort(), ['frontend', 'shop']);
    assert.equal(checkExportTo(ctx, undefined, ['spec', 'exportTo']).size, 0);
  });
});
