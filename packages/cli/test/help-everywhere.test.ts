// `--help` everywhere: every command and subcommand of `heddle` (x describe service, x ca roots …) has a
// one-line summary, a description, and answers --help with its usage on stdout and exit 0.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import type { CliIo } from '../src/cli-io.ts';
import { main } from '../src/main.ts';
import { buildProgram } from '../src/program/build-program.ts';

interface Captured {
  readonly io: CliIo;
  readonly out: () => string;
  readonly err: () => string;
}

function capture(): Captured {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text) },
      stdin: (async function* () {})(),
      env: {},
    },
    out: () => out,
    err: () => err,
  };
}

function commandPaths(command: Command, parent: readonly string[] = []): string[][] {
  return command.commands
    .filter((sub) => sub.name() !== 'help')
    .flatMap((sub) => [[...parent, sub.name()], ...commandPaths(sub, [...parent, sub.name()])]);
}

function find(root: Command, path: readonly string[]): Command {
  let command = root;
  for (const name of path) {
    const next = command.commands.find((sub) => sub.name() === name);
    assert.ok(next, `no command ${path.join(' ')}`);
    command = next;
  }
  return command;
}

const program = buildProgram({ io: capture().io, setExitCode: () => undefined });
const paths = commandPaths(program);

describe('heddle --help everywhere', () => {
  it('reaches nested commands (the tree is walked, not just the verbs)', () => {
    const names = paths.map((path) => path.join(' '));
    for (const expected of [
      'x describe service',
      'x describe workload',
      'x authz check',
      'x ca roots',
      'completion',
      'analyze',
    ])
      assert.ok(names.includes(expected), `missing ${expected}`);
  });

  for (const path of paths) {
    const name = path.join(' ');
    it(`heddle ${name}: a summary, a description, and --help`, async () => {
      const command = find(program, path);
      assert.ok(command.summary().trim() !== '', `${name} has no summary`);
      assert.ok(command.description().trim() !== '', `${name} has no description`);
      const run = capture();
      const code = await main([...path, '--help'], run.io);
      assert.equal(code, 0, run.err());
      assert.match(run.out(), new RegExp(`^Usage: heddle ${path.join(' ')}(\\|[a-z]+)? `));
      assert.match(run.out(), /^Options:$/m);
      assert.equal(run.err(), '');
    });
  }
});
