// Golden LDS/RDS/CDS output for every testdata/envoyfilter-* case; the comment opening each input says what
// it shows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expectCaseGolden, testdata } from './envoy-filter-case.ts';

const cases = readdirSync(testdata)
  .filter((name) => name.startsWith('envoyfilter-'))
  .sort();

function title(caseName: string): string {
  const lines = readFileSync(join(testdata, caseName, 'input.yaml'), 'utf8').split('\n');
  const end = lines.findIndex((line) => !line.startsWith('# '));
  const comment = lines.slice(0, end < 0 ? lines.length : end).map((line) => line.slice(2));
  return comment.length > 0 ? `${caseName}: ${comment.join(' ')}` : caseName;
}

describe('EnvoyFilter patches (golden)', () => {
  for (const name of cases) {
    it(title(name), () => {
      expectCaseGolden(name);
    });
  }
});
