// `heddle x authz check` output: a table of the effective policies (ACTION, POLICY NAME, RULES, PORTS), each
// policy's rules in words, and the JWT issuers; or the same as JSON.
import { formatTable, type TableRow } from '../output/format-table.ts';
import type { AuthzView, EffectivePolicy } from './effective-policies.ts';

function actionLabel(policy: EffectivePolicy): string {
  if (policy.failedClosed) return 'CUSTOM (DENY: provider unavailable)';
  return policy.dryRun ? `${policy.action} (dry-run)` : policy.action;
}

export function renderAuthzCheck(view: AuthzView, proxy: string, output: 'table' | 'json'): string {
  if (output === 'json') return `${JSON.stringify(view, null, 2)}\n`;
  if (view.policies.length === 0 && view.jwt.length === 0) {
    return `No AuthorizationPolicy or RequestAuthentication applies to ${proxy}: every request is allowed.\n`;
  }
  const parts: string[] = [];
  if (view.policies.length > 0) {
    const rows: TableRow[] = view.policies.map((p) => [
      actionLabel(p),
      p.policy,
      String(Object.keys(p.rules).length),
      p.ports.join(','),
    ]);
    parts.push(formatTable(['ACTION', 'POLICY NAME', 'RULES', 'PORTS'], rows));
    const details = view.policies.flatMap((p) =>
      Object.entries(p.rules)
        .sort(([a], [b]) => Number(a) - Number(b))
        .flatMap(([index, readings]) =>
          readings.map((r) => {
            const where = readings.length > 1 ? ` (port ${r.ports.join(',')})` : '';
            return `  ${actionLabel(p)} ${p.policy} rule ${index}${where}: ${r.summary}`;
          }),
        ),
    );
    if (details.length > 0) parts.push(`Rules:\n${details.join('\n')}\n`);
  } else {
    parts.push('No AuthorizationPolicy applies: every request is allowed.\n');
  }
  if (view.jwt.length > 0) {
    const rows: TableRow[] = view.jwt.map((j) => [
      j.issuer,
      j.audiences.join(',') || '(any)',
      j.ports.join(','),
    ]);
    parts.push(
      `JWT issuers (RequestAuthentication):\n${formatTable(['ISSUER', 'AUDIENCES', 'PORTS'], rows)}`,
    );
  }
  return parts.join('\n');
}
