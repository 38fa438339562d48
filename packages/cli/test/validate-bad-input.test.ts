// `heddle validate` on input it cannot use: each case gets a clear message, the right exit code, no stack.
import assert from 'node:assert/strict';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MAX_FILE_BYTES, MAX_NESTING_DEPTH } from '@heddle/api';
import { NOBODY, canRunAsNobody } from './helpers/run-as-nobody.ts';
import { runCli, stackTraceIn, type CliResult } from './helpers/run-cli.ts';
import { CLEAN_VIRTUAL_SERVICE, UNKNOWN_API_VERSION } from './helpers/snippets.ts';
import { tempDir } from './helpers/temp-dir.ts';

function assertCleanFailure(result: CliResult, code: number): void {
  assert.equal(result.code, code, `exit code; stdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  assert.equal(stackTraceIn(result), undefined, 'no stack trace');
  assert.doesNotMatch(result.stdout + result.stderr, /internal error|errno|\bE[A-Z]{3,}\b/);
}

describe('heddle validate: input it cannot read', () => {
  it('names a missing path and exits 65', async () => {
    const result = await runCli(['validate', '-f', 'no/such/file.yaml']);
    assertCleanFailure(result, 65);
    assert.match(
      result.stdout,
      /^Error \[HEDDLE_FILE_UNREADABLE\] \(no\/such\/file\.yaml\) cannot read "no\/such\/file\.yaml": no such file or directory$/m,
    );
  });

  it('still validates the readable files next to a missing one', async (t) => {
    const file = join(await tempDir(t), 'good.yaml');
    await writeFile(file, UNKNOWN_API_VERSION);
    const result = await runCli(['validate', file, 'missing.yaml']);
    assertCleanFailure(result, 65);
    assert.match(result.stdout, /HEDDLE_FILE_UNREADABLE/);
    assert.match(result.stdout, /HEDDLE_UNKNOWN_API_VERSION/);
  });

  it('names a dangling symbolic link (unreadable, even for root) and exits 65', async (t) => {
    const dir = await tempDir(t);
    const link = join(dir, 'routes.yaml');
    await symlink(join(dir, 'gone.yaml'), link);
    const direct = await runCli(['validate', '-f', link]);
    assertCleanFailure(direct, 65);
    assert.match(direct.stdout, /HEDDLE_FILE_UNREADABLE.*broken symbolic link/);
    // Found during a directory walk, it is reported once and the walk goes on.
    await writeFile(join(dir, 'ok.yaml'), CLEAN_VIRTUAL_SERVICE);
    const walked = await runCli(['validate', dir, link]);
    assertCleanFailure(walked, 65);
    assert.equal(walked.stdout.match(/HEDDLE_FILE_UNREADABLE/g)?.length, 1);
    assert.match(walked.stdout, /^2 files, 1 resource: 1 error/m);
  });

  it('reports a directory holding no config files as HEDDLE_NO_INPUT and exits 65', async (t) => {
    const dir = await tempDir(t);
    await mkdir(join(dir, 'nested'));
    await writeFile(join(dir, 'nested', 'notes.txt'), 'not config');
    const result = await runCli(['validate', dir]);
    assertCleanFailure(result, 65);
    assert.match(result.stdout, /^Error \[HEDDLE_NO_INPUT\] .*holds no \.yaml, \.yml, \.json files$/m);
  });

  it('says "permission denied" for a file without read permission and exits 65', async (t) => {
    const dir = await tempDir(t);
    const file = join(dir, 'secret.yaml');
    await writeFile(file, CLEAN_VIRTUAL_SERVICE);
    await chmod(file, 0o000);
    await chmod(dir, 0o755);
    // Root reads any file whatever its mode, so as root the CLI runs as "nobody" to see the denial.
    const asRoot = process.getuid?.() === 0;
    if (asRoot && !canRunAsNobody()) {
      t.skip('running as root, and user "nobody" cannot run the CLI from this checkout');
      return;
    }
    const identity = asRoot ? { uid: NOBODY, gid: NOBODY } : {};
    const result = await runCli(['validate', '-f', file], identity);
    assertCleanFailure(result, 65);
    assert.match(result.stdout, /HEDDLE_FILE_UNREADABLE.*cannot read ".*secret\.yaml": permission denied$/m);
  });

  it('refuses a 10 MB file by its size, without reading it, and exits 65', async (t) => {
    const file = join(await tempDir(t), 'huge.yaml');
    const block = `${CLEAN_VIRTUAL_SERVICE}---\n`;
    const copies = Math.ceil((10 * 1024 * 1024) / block.length);
    await writeFile(file, block.repeat(copies));
    const result = await runCli(['validate', '-f', file]);
    assertCleanFailure(result, 65);
    assert.match(
      result.stdout,
      new RegExp(`HEDDLE_FILE_TOO_LARGE.*is 10\\.0 MiB, above the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit`),
    );
    assert.match(result.stdout, /^1 file, 0 resources: 1 error/m);
  });

  it('refuses standard input beyond the size limit and exits 65', async () => {
    const input = Buffer.alloc(MAX_FILE_BYTES + 4096, '#');
    const result = await runCli(['validate', '-f', '-'], { input });
    assertCleanFailure(result, 65);
    assert.match(
      result.stdout,
      /HEDDLE_FILE_TOO_LARGE\] \(<stdin>\) standard input is larger than the 8 MiB limit/,
    );
  });
});

describe('heddle validate: input it cannot parse', () => {
  const cases: ReadonlyArray<{ name: string; yaml: string; code: string; line: number }> = [
    {
      name: 'a tab used for indentation',
      yaml: 'apiVersion: v1\nkind: Namespace\nmetadata:\n\tname: shop\n',
      code: 'HEDDLE_YAML_TAB_INDENT',
      line: 4,
    },
    {
      name: 'a duplicate key',
      yaml: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  name: store\n',
      code: 'HEDDLE_YAML_DUPLICATE_KEY',
      line: 5,
    },
    {
      name: 'a key indented out of line',
      yaml: 'apiVersion: v1\nkind: Namespace\nmetadata:\n    name: shop\n  labels: {}\n',
      code: 'HEDDLE_YAML_BAD_INDENT',
      line: 5,
    },
  ];
  for (const { name, yaml, code, line } of cases) {
    it(`reports ${name} with its line and exits 65`, async (t) => {
      const file = join(await tempDir(t), 'broken.yaml');
      await writeFile(file, yaml);
      const result = await runCli(['validate', '-f', file]);
      assertCleanFailure(result, 65);
      assert.match(result.stdout, new RegExp(`^Error \\[${code}\\] \\(.*broken\\.yaml:${line}\\) `, 'm'));
    });
  }

  it('exits 65 for a broken file even when another file has findings (65 beats 79)', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, 'a.yaml'), UNKNOWN_API_VERSION);
    await writeFile(join(dir, 'b.yaml'), 'kind: [unclosed\n');
    const result = await runCli(['validate', dir]);
    assertCleanFailure(result, 65);
    assert.match(result.stdout, /HEDDLE_UNKNOWN_API_VERSION/);
    assert.match(result.stdout, /HEDDLE_YAML_\w+\] \(.*b\.yaml:2\)/);
  });

  it('refuses a document nested deeper than the limit and exits 65', async (t) => {
    const file = join(await tempDir(t), 'deep.yaml');
    let nested = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n';
    for (let depth = 1; depth <= MAX_NESTING_DEPTH + 10; depth++)
      nested += `${'  '.repeat(depth)}k${depth}:\n`;
    await writeFile(file, `${nested}${'  '.repeat(MAX_NESTING_DEPTH + 11)}leaf: x\n`);
    const result = await runCli(['validate', '-f', file]);
    assertCleanFailure(result, 65);
    assert.match(result.stdout, /^Error \[HEDDLE_YAML_TOO_DEEP\] \(.*deep\.yaml:1\) /m);
  });

  it('survives nesting deep enough to exhaust the parser stack, and exits 65', async (t) => {
    const file = join(await tempDir(t), 'flow.yaml');
    await writeFile(file, `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    const result = await runCli(['validate', '-f', file]);
    assertCleanFailure(result, 65);
    assert.match(result.stdout, /^Error \[HEDDLE_YAML_\w+\] \(.*flow\.yaml:1\) /m);
  });

  it('exits 79, not 65, for an unknown apiVersion: the YAML itself is fine', async (t) => {
    const file = join(await tempDir(t), 'vs.yaml');
    await writeFile(file, UNKNOWN_API_VERSION);
    const result = await runCli(['validate', '-f', file]);
    assertCleanFailure(result, 79);
    assert.match(
      result.stdout,
      /^Error \[HEDDLE_UNKNOWN_API_VERSION\] \(VirtualService shop\/reviews .*vs\.yaml:1\) apiVersion: /m,
    );
  });
});
