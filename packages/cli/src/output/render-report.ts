// Picks the renderer for `-o text|json|yaml`; structured formats print the findings and nothing else.
import { renderText } from './render-text.ts';
import { toReportEntry } from './report-entry.ts';
import { toYamlList } from './to-yaml-list.ts';
import type { OutputFormat, ValidationReport } from './validation-report.ts';

export function renderReport(report: ValidationReport, format: OutputFormat, color: boolean): string {
  switch (format) {
    case 'text':
      return renderText(report, { color });
    case 'json':
      return `${JSON.stringify(report.findings.map(toReportEntry), null, 2)}\n`;
    case 'yaml':
      return toYamlList(report.findings.map(toReportEntry));
  }
}

/** Colors only for a person at a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColor(
  stdoutIsTTY: boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return stdoutIsTTY === true && !env.NO_COLOR;
}
