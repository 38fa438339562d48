// Golden RDS output for every testdata/route-* case; the comment opening each input says what it shows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expectTranslationGolden } from '@heddle/testkit';

const testdata = join(import.meta.dirname, '..', 'testdata');
const cases = readdirSync(testdata)
  .filter((name) => name.startsWith('route-'))
  .sort();

/** The case name and the comment block that opens its input, which says what the case shows. */
function title(caseName: string): string {
  const lines = readFileSync(join(testdata, caseName, 'input.yaml'), 'utf8').split('\n');
  const end = lines.findIndex((line) => !line.startsWith('# '));
  const comment = lines.slice(0, end < 0 ? lines.length : end).map((line) => line.slice(2));
  return comment.length > 0 ? `${caseName}: ${comment.join(' ')}` : caseName;
}

describe('route configurations (golden)', () => {
  for (const name of cases) {
    it(title(name), () => {
      expectTranslationGolden(join(testdata, name), ['rds']);
    });
  }
});
