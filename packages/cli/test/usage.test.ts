// The command line itself: help for every verb, version, and usage errors (exit 64, a hint, no stack).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import packageJson from '../package.json' with { type: 'json' };
import { runCli, stackTraceIn, type CliResult } from './helpers/run-cli.ts';
import { verbNames } from './helpers/verb-names.ts';

function assertUsageError(result: CliResult, message: RegExp): void {
  assert.equal(result.code, 64, `stderr:\n${result.stderr}`);
  assert.equal(result.stdout, '', 'usage errors print nothing on stdout');
  assert.match(result.stderr, message);
  assert.match(result.stderr, /--help|Use one of|Example/, 'a hint says what to do next');
  assert.equal(stackTraceIn(result), undefined);
  assert.ok(result.stderr.split('\n').length <= 3, 'the message is short');
}

describe('heddle: help and version', () => {
  for (const args of [['--help'], ['-h'], ['help']]) {
    it(`${args.join(' ')} lists the commands and exits 0`, async () => {
      const result = await runCli(args);
      assert.equal(result.code, 0);
      assert.match(result.stdout, /^Usage: heddle <command> \[options\]/);
      assert.match(result.stdout, /^\s+validate \[options\] \[paths\.\.\.\]/m);
    });
  }

  for (const name of verbNames()) {
    it(`${name} --help explains the verb and exits 0`, async () => {
      for (const args of [
        [name, '--help'],
        [name, '-h'],
        ['help', name],
      ]) {
        const result = await runCli(args);
        assert.equal(result.code, 0, args.join(' '));
        // An alias shows after the name, as istioctl's `ps` for proxy-status: `heddle proxy-status|ps`.
        assert.match(result.stdout, new RegExp(`^Usage: heddle ${name}(\\|[a-z]+)? `), args.join(' '));
        assert.match(result.stdout, /^Options:$/m);
        assert.equal(result.stderr, '');
      }
    });
  }

  it('validate --help documents the options and exit codes', async () => {
    const { stdout } = await runCli(['validate', '--help']);
    for (const text of [
      '-f, --filename <path>',
      '-o, --output <format>',
      '--failure-threshold <level>',
      '79',
      '65',
      '64',
    ]) {
      assert.ok(stdout.includes(text), `help mentions ${text}`);
    }
  });

  it('validate --help lists the accepted values of -o and --failure-threshold', async () => {
    const { stdout } = await runCli(['validate', '--help']);
    const flat = stdout.replace(/\s+/g, ' ');
    assert.ok(flat.includes('choices: "text", "json", "yaml", default: "text"'), stdout);
    assert.ok(flat.includes('choices: "Info", "Warning", "Error", default: "Error"'), stdout);
  });

  it('the verbs that talk to the control plane document --control-plane and exit 69', async () => {
    for (const name of ['apply', 'get', 'delete', 'proxy-status', 'proxy-config']) {
      const { stdout } = await runCli([name, '--help']);
      assert.ok(stdout.includes('--control-plane <url>'), `${name} --help mentions --control-plane`);
      assert.match(stdout, /^ {2}69 {2}the control plane cannot be reached$/m, name);
    }
  });

  it('--version prints the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag]);
      assert.equal(result.code, 0);
      assert.equal(result.stdout, `${packageJson.version}\n`);
    }
  });
});

describe('heddle: usage errors exit 64', () => {
  it('no command at all', async () => {
    assertUsageError(await runCli([]), /^heddle: missing command$/m);
  });

  it('an unknown command, with a suggestion when one is close', async () => {
    const typo = await runCli(['valdate', 'x.yaml']);
    assertUsageError(typo, /^heddle: unknown command 'valdate'$/m);
    assert.match(typo.stderr, /Did you mean 'heddle validate'\?/);
    assertUsageError(await runCli(['frobnicate']), /^heddle: unknown command 'frobnicate'$/m);
  });

  it('an unknown option, before or after the command', async () => {
    assertUsageError(await runCli(['--bogus']), /^heddle: unknown option '--bogus'$/m);
    assertUsageError(
      await runCli(['validate', 'examples/', '--bogus']),
      /^heddle: unknown option '--bogus'$/m,
    );
    assertUsageError(await runCli(['validate', '-x', 'examples/']), /^heddle: unknown option '-x'$/m);
  });

  it('an unknown option close to a known one, with a suggestion', async () => {
    const typo = await runCli(['validate', '--outptu', 'json', 'examples/']);
    assertUsageError(typo, /^heddle: unknown option '--outptu'$/m);
    assert.match(typo.stderr, /^Did you mean --output\? Run 'heddle validate --help' for usage\.$/m);
  });

  it("heddle's own options only before the command: after it they belong to the command", async () => {
    assertUsageError(await runCli(['validate', 'examples/', '-V']), /^heddle: unknown option '-V'$/m);
  });

  it('an option value outside its choices', async () => {
    assertUsageError(
      await runCli(['validate', 'examples/', '-o', 'xml']),
      /invalid value 'xml' for --output/,
    );
    assertUsageError(
      await runCli(['validate', 'examples/', '--failure-threshold', 'Fatal']),
      /invalid value 'Fatal' for --failure-threshold/,
    );
  });

  it('an option missing its value', async () => {
    assertUsageError(
      await runCli(['validate', 'examples/', '-o']),
      /option '-o, --output <format>' needs a value/,
    );
    assertUsageError(await runCli(['validate', '-f']), /option '-f, --filename <path>' needs a value/);
  });

  it('no input to validate', async () => {
    assertUsageError(await runCli(['validate']), /^heddle: no input: /m);
    assertUsageError(await runCli(['validate', '-o', 'json']), /^heddle: no input: /m);
  });
});
