// Golden-file comparison: the expected text lives in a file; REFRESH_GOLDEN=1 rewrites it from the actual.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function expectGolden(actual: string, goldenPath: string): void {
  if (process.env.REFRESH_GOLDEN === '1') {
    mkdirSync(dirname(goldenPath), { recursive: true });
    writeFileSync(goldenPath, actual);
    return;
  }
  assert.ok(
    existsSync(goldenPath),
    `golden file ${goldenPath} is missing; run with REFRESH_GOLDEN=1 to create it`,
  );
  assert.equal(
    actual,
    readFileSync(goldenPath, 'utf8'),
    `output differs from ${goldenPath} (REFRESH_GOLDEN=1 rewrites it)`,
  );
}
