// Regenerates the verdict and code columns of docs/seed-configs.md from what `heddle validate` reports for
// each seed config, keeping the hand-written "why" column. Run after changing validation rules:
//   node scripts/seed-table.ts   (then review the diff and explain any new row)
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { validateText } from '@heddle/api';
import { parseSeedTable, renderSeedTable, verdictOf, type SeedRow } from '../e2e/seed-table-format.ts';

const seedDir = join(import.meta.dirname, '..', '..', 'shared', 'fixtures', 'seed-configs');
const docPath = join(import.meta.dirname, '..', 'docs', 'seed-configs.md');

const previous = existsSync(docPath) ? parseSeedTable(readFileSync(docPath, 'utf8')) : [];
const why = new Map(previous.map((row) => [row.file, row.why]));
const rows: SeedRow[] = readdirSync(seedDir)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort()
  .map((file) => {
    const { findings } = validateText([{ name: file, text: readFileSync(join(seedDir, file), 'utf8') }]);
    return {
      file,
      verdict: verdictOf(findings.map((f) => f.level)),
      codes: [...new Set(findings.map((f) => f.code))].sort(),
      why: why.get(file) ?? '(explain)',
    };
  });
writeFileSync(docPath, renderSeedTable(rows));
console.log(`docs/seed-configs.md: ${rows.length} seed configs`);
