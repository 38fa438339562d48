// Colors: on for a terminal, off for pipes and whenever NO_COLOR is set.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, runCli } from './helpers/run-cli.ts';
import { MISSPELLED_FIELD } from './helpers/snippets.ts';
import { tempDir } from './helpers/temp-dir.ts';

const ESC = String.fromCharCode(27);
const hasScript = spawnSync('script', ['--version']).status === 0;

/** Runs the CLI with a pseudo-terminal as stdout, through util-linux `script`. */
function runInTerminal(args: readonly string[], env: Record<string, string | undefined>): string {
  const quoted = [process.execPath, 'packages/cli/bin/heddle.ts', ...args].map(
    (a) => `'${a.replace(/'/g, `'\\''`)}'`,
  );
  const result = spawnSync('script', ['-qec', quoted.join(' '), '/dev/null'], {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(result.status, 79, result.stderr);
  return result.stdout;
}

describe('heddle validate: colors', () => {
  it(
    'colors the level only when stdout is a terminal and NO_COLOR is unset',
    { skip: !hasScript && 'util-linux "script" is not installed' },
    async (t) => {
      const file = join(await tempDir(t), 'rules.yaml');
      await writeFile(file, MISSPELLED_FIELD);
      const env = { ...process.env };
      delete env.NO_COLOR;
      delete env.NODE_TEST_CONTEXT;
      const colored = runInTerminal(['validate', file], env);
      assert.ok(
        colored.includes(`${ESC}[31mError${ESC}[39m [HEDDLE_UNKNOWN_FIELD]`),
        JSON.stringify(colored),
      );
      const plain = runInTerminal(['validate', file], { ...env, NO_COLOR: '1' });
      assert.ok(!plain.includes(ESC), JSON.stringify(plain));
      assert.match(plain, /^Error \[HEDDLE_UNKNOWN_FIELD\]/m);
    },
  );

  it('prints no color codes into a pipe', async (t) => {
    const file = join(await tempDir(t), 'rules.yaml');
    await writeFile(file, MISSPELLED_FIELD);
    const result = await runCli(['validate', file], { env: { FORCE_COLOR: '1' } });
    assert.ok(!result.stdout.includes(ESC));
  });
});
