// One finding as the structured outputs (-o json, -o yaml) print it, with istioctl analyze's key names.
import { formatResourceRef, type Finding } from '@heddle/api';

/**
 * Keys follow `istioctl analyze -o json`: `origin` names the resource ("Kind namespace/name") and
 * `reference` says where it was read ("file.yaml:12"), so scripts written for istioctl keep working.
 * Keys without a value are left out rather than printed empty.
 */
export type ReportEntry = {
  readonly code: string;
  readonly level: string;
  readonly origin?: string;
  readonly reference?: string;
  readonly field?: string;
  readonly message: string;
  readonly documentationUrl?: string;
};

export function findingLocation(finding: Finding): string | undefined {
  if (finding.file === undefined) return undefined;
  return finding.line === undefined ? finding.file : `${finding.file}:${finding.line}`;
}

export function toReportEntry(finding: Finding): ReportEntry {
  const reference = findingLocation(finding);
  return {
    code: finding.code,
    level: finding.level,
    ...(finding.resource ? { origin: formatResourceRef(finding.resource) } : {}),
    ...(reference !== undefined ? { reference } : {}),
    ...(finding.field ? { field: finding.field } : {}),
    message: finding.message,
  };
}
