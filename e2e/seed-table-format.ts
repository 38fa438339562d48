// The expectation table in docs/seed-configs.md: one row per seed config with verdict, codes and why.
import type { Level } from '@heddle/api';

export type Verdict = 'accepted' | 'accepted, info' | 'warnings' | 'errors';

export interface SeedRow {
  readonly file: string;
  readonly verdict: Verdict;
  readonly codes: readonly string[];
  readonly why: string;
}

export function verdictOf(levels: readonly Level[]): Verdict {
  if (levels.includes('Error')) return 'errors';
  if (levels.includes('Warning')) return 'warnings';
  if (levels.includes('Info')) return 'accepted, info';
  return 'accepted';
}

const HEADER = `# What Heddle says about the seed configs

Every configuration taken from the seed documents (\`shared/fixtures/seed-configs/\`) is either accepted or
answered with a specific message. This table is the expectation: \`e2e/seed-configs.test.ts\` runs
\`heddle validate\` over every file and fails when a verdict or a code differs. \`node scripts/seed-table.ts\`
refreshes the verdict and code columns after a rule change; the last column is written by hand.

Verdicts: **accepted** (no finding), **accepted, info** (only Info: notes on what applies where),
**warnings** (accepted, with something to fix), **errors** (refused, as Istio would refuse it or as it
cannot work).

| File | Verdict | Codes | Why |
| ---- | ------- | ----- | --- |
`;

export function renderSeedTable(rows: readonly SeedRow[]): string {
  const lines = rows.map(
    (row) =>
      `| \`${row.file}\` | ${row.verdict} | ${row.codes.map((c) => `\`${c}\``).join(', ') || '—'} | ${row.why} |`,
  );
  return HEADER + lines.join('\n') + '\n';
}

export function parseSeedTable(markdown: string): SeedRow[] {
  const rows: SeedRow[] = [];
  for (const line of markdown.split('\n')) {
    const match = /^\| `([^`]+)` \| ([^|]+) \| ([^|]*) \| (.*) \|$/.exec(line);
    if (!match) continue;
    const [, file = '', verdict = '', codes = '', why = ''] = match;
    rows.push({
      file,
      verdict: verdict.trim() as Verdict,
      codes: codes.trim() === '—' ? [] : [...codes.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ''),
      why: why.trim(),
    });
  }
  return rows;
}
