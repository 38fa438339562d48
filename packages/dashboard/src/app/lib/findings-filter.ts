// Which analyzer findings belong to a namespace, judged from the resource reference they carry.
import type { DashboardFindings } from '@heddle/api';

export type DashboardFinding = DashboardFindings['findings'][number];

const LEVEL_ORDER: Readonly<Record<DashboardFinding['level'], number>> = { Error: 0, Warning: 1, Info: 2 };

/**
 * A finding's resource reads like `VirtualService shop/reviews` or `reviews.shop`; a namespace matches when it is
 * one of the reference's `/`, `.` or space separated words. Findings without a resource are mesh-wide: kept.
 */
export function inNamespace(finding: DashboardFinding, namespace: string): boolean {
  if (!namespace || !finding.resource) return true;
  return finding.resource.split(/[\s/.]+/).includes(namespace);
}

/** Errors first, then warnings, then infos; by code inside a level. */
export function sortFindings(findings: readonly DashboardFinding[]): DashboardFinding[] {
  return [...findings].sort(
    (a, b) =>
      LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
      a.code.localeCompare(b.code) ||
      (a.resource ?? '').localeCompare(b.resource ?? ''),
  );
}
