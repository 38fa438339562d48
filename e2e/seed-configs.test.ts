// Every seed config gets exactly the verdict and codes that docs/seed-configs.md promises, via the real CLI.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Level } from '@heddle/api';
import { parseSeedTable, verdictOf } from './seed-table-format.ts';

const root = join(import.meta.dirname, '..');
const seedDir = join(root, '..', 'shared', 'fixtures', 'seed-configs');

interface JsonFinding {
  readonly code: string;
  readonly level: Level;
  readonly reference?: string;
  readonly origin?: string;
  readonly message: string;
}

async function validateSeeds(): Promise<{ exitCode: number; findings: JsonFinding[] }> {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['packages/cli/bin/heddle.ts', 'validate', '-o', 'json', seedDir],
      { cwd: root, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
    return { exitCode: 0, findings: JSON.parse(stdout) as JsonFinding[] };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { exitCode: failed.code ?? -1, findings: JSON.parse(failed.stdout ?? '[]') as JsonFinding[] };
  }
}

function fileOf(finding: JsonFinding): string {
  // istioctl's JSON keeps the resource in `origin` and `file:line` in `reference`.
  const location = [finding.reference, finding.origin].find((v) => v && /\.ya?ml(:\d+)?$/.test(v)) ?? '';
  return basename(location.replace(/:\d+$/, ''));
}

describe('seed configs', () => {
  it('are each accepted or answered exactly as docs/seed-configs.md says', async () => {
    const table = parseSeedTable(readFileSync(join(root, 'docs', 'seed-configs.md'), 'utf8'));
    const files = readdirSync(seedDir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
    assert.deepEqual(
      table.map((row) => row.file),
      files,
      'the table lists every seed file exactly once',
    );

    const { exitCode, findings } = await validateSeeds();
    assert.equal(exitCode, 79, 'some seeds are refused on purpose, so validate exits 79');
    assert.ok(
      findings.every((f) => !f.code.startsWith('HEDDLE_INTERNAL')),
      'no seed crashes a rule',
    );
    for (const row of table) {
      const mine = findings.filter((f) => fileOf(f) === row.file);
      const actual = {
        verdict: verdictOf(mine.map((f) => f.level)),
        codes: [...new Set(mine.map((f) => f.code))].sort(),
      };
      assert.deepEqual(actual, { verdict: row.verdict, codes: [...row.codes] }, `${row.file}: ${row.why}`);
    }
  });

  it('get messages that say what to write instead, for every Error', async () => {
    const { findings } = await validateSeeds();
    for (const finding of findings.filter((f) => f.level === 'Error')) {
      assert.ok(finding.message.length > 40, `${finding.code} message is specific: ${finding.message}`);
    }
  });
});
