// The human-readable report: one istioctl-style line per finding, ordered by file, then a summary line.
import { styleText } from 'node:util';
import { formatResourceRef, type Finding, type Level } from '@heddle/api';
import { findingLocation } from './report-entry.ts';
import type { ValidationReport } from './validation-report.ts';

export interface TextOptions {
  readonly color: boolean;
}

const LEVEL_STYLE: Readonly<Record<Level, 'red' | 'yellow' | 'cyan'>> = {
  Error: 'red',
  Warning: 'yellow',
  Info: 'cyan',
};

export function renderText(report: ValidationReport, options: TextOptions): string {
  const lines = report.findings.map((finding) => formatFindingLine(finding, options));
  lines.push(formatSummary(report));
  return `${lines.join('\n')}\n`;
}

/** `Error [CODE] (Kind ns/name file.yaml:12) spec.field: message`, as istioctl prints its messages. */
export function formatFindingLine(finding: Finding, options: TextOptions): string {
  const origin = [
    finding.resource ? formatResourceRef(finding.resource) : undefined,
    findingLocation(finding),
  ]
    .filter((part) => part !== undefined)
    .join(' ');
  const level = options.color
    ? styleText(LEVEL_STYLE[finding.level], finding.level, { validateStream: false })
    : finding.level;
  const where = origin ? ` (${origin})` : '';
  const field = finding.field ? `${finding.field}: ` : '';
  return `${level} [${finding.code}]${where} ${field}${finding.message}`;
}

export function formatSummary(report: ValidationReport): string {
  const count = (level: Level): number => report.findings.filter((f) => f.level === level).length;
  return (
    `${plural(report.fileCount, 'file')}, ${plural(report.resourceCount, 'resource')}: ` +
    `${plural(count('Error'), 'error')}, ${plural(count('Warning'), 'warning')}, ${count('Info')} info`
  );
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
