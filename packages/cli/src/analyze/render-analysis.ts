// istioctl analyze's output: `Level [CODE] (Kind namespace/name file:line) message`, one line per finding;
// or the findings as JSON or YAML.
import { styleText } from 'node:util';
import { compareFindings, type Finding } from '@heddle/api';
import { printedCode } from '@heddle/translate';
import { stringify } from 'yaml';

export type AnalyzeOutput = 'text' | 'json' | 'yaml';

const LEVEL_COLOR = { Error: 'red', Warning: 'yellow', Info: 'cyan' } as const;

export function renderAnalysis(findings: readonly Finding[], output: AnalyzeOutput, color: boolean): string {
  const sorted = [...findings].sort(compareFindings);
  if (output === 'text') return sorted.map((finding) => `${line(finding, color)}\n`).join('');
  const entries = sorted.map(entry);
  return output === 'json' ? `${JSON.stringify(entries, null, 2)}\n` : stringify(entries, { lineWidth: 0 });
}

function line(finding: Finding, color: boolean): string {
  const level = color
    ? styleText(LEVEL_COLOR[finding.level], finding.level, { validateStream: false })
    : finding.level;
  const where = [origin(finding), reference(finding)].filter(Boolean).join(' ');
  return `${level} [${printedCode(finding.code)}]${where ? ` (${where})` : ''} ${finding.message}`;
}

function origin(finding: Finding): string | undefined {
  const resource = finding.resource;
  if (!resource) return undefined;
  const name = resource.name ?? '<unnamed>';
  return `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${name}`;
}

function reference(finding: Finding): string | undefined {
  if (finding.file === undefined) return undefined;
  return finding.line !== undefined ? `${finding.file}:${finding.line}` : finding.file;
}

function entry(finding: Finding): Record<string, unknown> {
  const code = printedCode(finding.code);
  return {
    code,
    ...(code !== finding.code ? { heddleCode: finding.code } : {}),
    level: finding.level,
    message: finding.message,
    ...(origin(finding) !== undefined ? { origin: origin(finding) } : {}),
    ...(reference(finding) !== undefined ? { reference: reference(finding) } : {}),
    ...(finding.field !== undefined ? { field: finding.field } : {}),
  };
}
