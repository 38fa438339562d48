// The bundled examples are what a newcomer validates first (`npm start`): they must stay clean.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from './helpers/run-cli.ts';

describe('examples/', () => {
  it('validates with no errors, warnings or info (exit 0 even at --failure-threshold Info)', async () => {
    const result = await runCli(['validate', 'examples/', '--failure-threshold', 'Info']);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /^\d+ files, \d+ resources: 0 errors, 0 warnings, 0 info\n$/);
  });
});
