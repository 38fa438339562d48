// Golden security filters for every testdata/security-authz-* and security-jwt-* case; the comment opening
// each input says what the case shows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expectSecurityGolden, testdata } from './security-case.ts';

const cases = readdirSync(testdata)
  .filter((name) => name.startsWith('security-authz-') || name.startsWith('security-jwt-'))
  .sort();

function title(caseName: string): string {
  const lines = readFileSync(join(testdata, caseName, 'input.yaml'), 'utf8').split('\n');
  const end = lines.findIndex((line) => !line.startsWith('# '));
  const comment = lines.slice(0, end < 0 ? lines.length : end).map((line) => line.slice(2));
  return comment.length > 0 ? `${caseName}: ${comment.join(' ')}` : caseName;
}

describe('authorization and request authentication filters (golden)', () => {
  for (const name of cases) {
    it(title(name), () => {
      expectSecurityGolden(name);
    });
  }
});
