// docs/cli/reference.md is the commands' own help: this fails as soon as a command changes and the page
// was not regenerated with `node scripts/cli-reference.ts`.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliReference, REFERENCE_PATH } from '../src/program/cli-reference.ts';
import { REPO_ROOT } from './helpers/run-cli.ts';

describe('the CLI reference', () => {
  it('docs/cli/reference.md matches the help of every command', async () => {
    const expected = await cliReference();
    const written = await readFile(join(REPO_ROOT, REFERENCE_PATH), 'utf8');
    assert.ok(
      written === expected,
      `${REFERENCE_PATH} is stale: run 'node scripts/cli-reference.ts' and commit the result`,
    );
  });

  it('covers nested commands and their help text', async () => {
    const reference = await cliReference();
    for (const heading of [
      '## heddle proxy-status',
      '## heddle x describe service',
      '## heddle completion',
      '## heddle analyze',
    ])
      assert.ok(reference.includes(`\n${heading}\n`), heading);
    assert.match(reference, /Usage: heddle x describe service\|svc \[options\] <service>/);
    assert.match(reference, /- \[`heddle x describe service`\]\(#heddle-x-describe-service\)/);
  });
});
