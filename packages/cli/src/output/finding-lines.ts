// Findings printed beside a command's own output (on stderr), in validate's line format.
import type { Finding } from '@heddle/api';
import { formatFindingLine } from './render-text.ts';

export function findingLines(findings: readonly Finding[], color: boolean): string {
  return findings.map((finding) => `${formatFindingLine(finding, { color })}\n`).join('');
}
