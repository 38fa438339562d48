// Test helpers: validate a YAML snippet and assert on the findings it produces.
import assert from 'node:assert/strict';
import { validateText, type Finding, type Level } from '../../src/index.ts';

export function findingsFor(yaml: string, file = 'test.yaml'): Finding[] {
  return validateText([{ name: file, text: yaml }]).findings;
}

export interface ExpectedFinding {
  readonly code: string;
  readonly field?: string;
  readonly line?: number;
  readonly level?: Level;
  /** A piece of text the message must contain. */
  readonly message?: string | RegExp;
}

function matches(finding: Finding, expected: ExpectedFinding): boolean {
  if (finding.code !== expected.code) return false;
  if (expected.field !== undefined && finding.field !== expected.field) return false;
  if (expected.line !== undefined && finding.line !== expected.line) return false;
  if (expected.level !== undefined && finding.level !== expected.level) return false;
  if (typeof expected.message === 'string' && !finding.message.includes(expected.message)) return false;
  if (expected.message instanceof RegExp && !expected.message.test(finding.message)) return false;
  return true;
}

function show(findings: readonly Finding[]): string {
  return (
    findings
      .map((f) => `  ${f.level} ${f.code} ${f.field ?? ''} line ${f.line ?? '?'}: ${f.message}`)
      .join('\n') || '  (none)'
  );
}

/** Asserts that the YAML produces a finding matching `expected`; returns it. */
export function expectFinding(yaml: string, expected: ExpectedFinding): Finding {
  const findings = findingsFor(yaml);
  const found = findings.find((f) => matches(f, expected));
  assert.ok(found, `expected ${JSON.stringify(expected)} among:\n${show(findings)}`);
  return found;
}

/** Asserts that the YAML produces no finding with this code. */
export function expectNoFinding(yaml: string, code: string): void {
  const findings = findingsFor(yaml).filter((f) => f.code === code);
  assert.equal(findings.length, 0, `expected no ${code}, got:\n${show(findings)}`);
}

/** Asserts that the YAML produces no Error or Warning at all (Info is allowed). */
export function expectClean(yaml: string): void {
  const findings = findingsFor(yaml).filter((f) => f.level !== 'Info');
  assert.equal(findings.length, 0, `expected no errors or warnings, got:\n${show(findings)}`);
}
