// Golden LDS/RDS/CDS/EDS of the proxyless gRPC generator for every testdata/grpc-* case.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expectTranslationGolden } from '@heddle/testkit';
import { GRPC_CASES, grpcCase } from './grpc-cases.ts';

/** The case name and the comment block that opens its input, which says what the case shows. */
function title(caseName: string): string {
  const lines = readFileSync(join(grpcCase(caseName), 'input.yaml'), 'utf8').split('\n');
  const end = lines.findIndex((line) => !line.startsWith('# '));
  const comment = lines.slice(0, end < 0 ? lines.length : end).map((line) => line.slice(2));
  return comment.length > 0 ? `${caseName}: ${comment.join(' ')}` : caseName;
}

describe('proxyless gRPC resources (golden)', () => {
  for (const name of GRPC_CASES) {
    it(title(name), () => {
      expectTranslationGolden(grpcCase(name));
    });
  }
});
