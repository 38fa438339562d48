// Regenerates docs/cli/reference.md from the help of every `heddle` command. Run after changing a command's
// options or help text:   node scripts/cli-reference.ts   (a test fails while the page is stale)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliReference, REFERENCE_PATH } from '../packages/cli/src/program/cli-reference.ts';

const target = join(import.meta.dirname, '..', REFERENCE_PATH);
writeFileSync(target, await cliReference());
console.log(`wrote ${REFERENCE_PATH}`);
