// `heddle completion bash|zsh|fish`: scripts generated from the command tree. The bash one is loaded into
// a real bash and asked for completions; zsh and fish are checked for the rules they must hold.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from './helpers/run-cli.ts';
import { tempDir } from './helpers/temp-dir.ts';

/** What bash's completion function offers after the given words (the last one being completed). */
function bashComplete(script: string, words: readonly string[]): string[] {
  const quoted = words.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const program = `source ${script}
COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}
_heddle_completions
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', program], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split('\n').filter((line) => line !== '');
}

describe('heddle completion', { timeout: 120_000 }, () => {
  it('bash: verbs, nested subcommands, aliases, option choices, files and proxy-config types', async (t) => {
    const generated = await runCli(['completion', 'bash']);
    assert.equal(generated.code, 0, generated.stderr);
    const script = join(await tempDir(t), 'heddle.bash');
    await writeFile(script, generated.stdout);
    assert.equal(spawnSync('bash', ['-n', script]).status, 0, 'the script parses');
    assert.deepEqual(bashComplete(script, ['heddle', 'pro']), ['proxy-status', 'proxy-config']);
    assert.deepEqual(bashComplete(script, ['heddle', 'x', 'des']), ['describe']);
    assert.deepEqual(bashComplete(script, ['heddle', 'x', 'describe', '']).slice(0, 4), [
      'service',
      'svc',
      'workload',
      'pod',
    ]);
    assert.deepEqual(bashComplete(script, ['heddle', 'pc', 'b']), ['bootstrap']);
    assert.deepEqual(bashComplete(script, ['heddle', 'proxy-status', '-o', '']), ['table', 'json']);
    assert.deepEqual(bashComplete(script, ['heddle', 'proxy-config', 'cluster', 'a.b', '--dir']), [
      '--direction',
    ]);
    assert.deepEqual(bashComplete(script, ['heddle', 'proxy-config', 'cluster', 'a.b', '--direction', '']), [
      'inbound',
      'outbound',
    ]);
    assert.deepEqual(bashComplete(script, ['heddle', 'get', 'virtuals']), ['virtualservices']);
    assert.deepEqual(bashComplete(script, ['heddle', 'completion', '']).slice(0, 3), ['bash', 'zsh', 'fish']);
    assert.deepEqual(bashComplete(script, ['heddle', 'validate', '-f', 'packages/cli/bi']), [
      'packages/cli/bin',
    ]);
    assert.deepEqual(
      bashComplete(script, ['heddle', 'get', 'vs', '--control-plane', '']),
      [],
      'a free value gets no word list',
    );
  });

  it('zsh and fish: a rule for every command path, option values and file options', async () => {
    const zsh = (await runCli(['completion', 'zsh'])).stdout;
    assert.match(zsh, /^#compdef heddle$/m);
    assert.match(zsh, /compdef _heddle heddle/);
    assert.match(zsh, /'heddle x\/describe'\) node='heddle x describe' ;;/);
    assert.match(
      zsh,
      /'heddle x describe\/service'\|'heddle x describe\/svc'\) node='heddle x describe service' ;;/,
    );
    assert.match(
      zsh,
      /'heddle proxy-status\/-o'\|'heddle proxy-status\/--output'\) compadd -- 'table' 'json'; return ;;/,
    );
    assert.match(zsh, /'heddle validate\/-f'\|'heddle validate\/--filename'\) _files; return ;;/);
    assert.match(zsh, /'analyze:analyze Istio configuration for problems'/);
    const fish = (await runCli(['completion', 'fish'])).stdout;
    assert.match(fish, /^function __heddle_node$/m);
    assert.match(fish, /complete -c heddle -n '__heddle_in \\'heddle x describe\\'' -a 'svc' -d /);
    assert.match(
      fish,
      /complete -c heddle -n '__heddle_in \\'heddle proxy-status\\'' -s o -l output -x -a 'table json'/,
    );
    assert.match(fish, /-s f -l file -r -F/);
    assert.match(fish, /-a 'cluster listener route endpoint secret bootstrap all'/);
    const bad = await runCli(['completion', 'powershell']);
    assert.equal(bad.code, 64);
  });
});
