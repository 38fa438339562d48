// `heddle validate` on good and bad configs: exit codes, the text line format, and -o json / -o yaml.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDocuments } from '@heddle/api';
import { runCli, stackTraceIn } from './helpers/run-cli.ts';
import {
  CLEAN_VIRTUAL_SERVICE,
  DEPRECATED_FIELD,
  MISSPELLED_FIELD,
  NOT_A_MESH_RESOURCE,
} from './helpers/snippets.ts';
import { tempDir } from './helpers/temp-dir.ts';

const REPORT_KEYS = new Set(['code', 'level', 'origin', 'reference', 'field', 'message', 'documentationUrl']);

describe('heddle validate: reports', () => {
  it('exits 0 on a clean file and prints only the summary', async (t) => {
    const file = join(await tempDir(t), 'reviews.yaml');
    await writeFile(file, CLEAN_VIRTUAL_SERVICE);
    const result = await runCli(['validate', '-f', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '1 file, 1 resource: 0 errors, 0 warnings, 0 info\n');
    assert.equal(result.stderr, '');
  });

  it('exits 79 on an error and prints an istioctl-style line with resource, location and field', async (t) => {
    const file = join(await tempDir(t), 'rules.yaml');
    await writeFile(file, MISSPELLED_FIELD);
    const result = await runCli(['validate', file]);
    assert.equal(result.code, 79);
    const [line, summary] = result.stdout.trimEnd().split('\n');
    assert.match(
      line ?? '',
      new RegExp(
        `^Error \\[HEDDLE_UNKNOWN_FIELD\\] \\(DestinationRule shop/reviews ${escape(file)}:11\\) ` +
          `spec\\.trafficPolicy\\.conectionPool: .*connectionPool`,
      ),
    );
    assert.equal(summary, '1 file, 1 resource: 1 error, 0 warnings, 0 info');
    assert.equal(stackTraceIn(result), undefined);
  });

  it('prints warnings but exits 0 under the default threshold (Error)', async (t) => {
    const file = join(await tempDir(t), 'ratings.yaml');
    await writeFile(file, DEPRECATED_FIELD);
    const result = await runCli(['validate', '-f', file]);
    assert.equal(result.code, 0);
    assert.match(
      result.stdout,
      /^Warning \[HEDDLE_DEPRECATED_FIELD\] .*:10\) spec\.trafficPolicy\.outlierDetection\.consecutiveErrors: /m,
    );
  });

  it('exits 79 on a warning with --failure-threshold Warning (any case)', async (t) => {
    const file = join(await tempDir(t), 'ratings.yaml');
    await writeFile(file, DEPRECATED_FIELD);
    for (const level of ['Warning', 'warning']) {
      const result = await runCli(['validate', '-f', file, '--failure-threshold', level]);
      assert.equal(result.code, 79, `--failure-threshold ${level}`);
    }
    const inline = await runCli(['validate', '-f', file, '--failure-threshold=Warning']);
    assert.equal(inline.code, 79);
  });

  it('exits 79 on an info finding only with --failure-threshold Info', async (t) => {
    const file = join(await tempDir(t), 'job.yaml');
    await writeFile(file, NOT_A_MESH_RESOURCE);
    assert.equal((await runCli(['validate', '-f', file, '--failure-threshold', 'Warning'])).code, 0);
    assert.equal((await runCli(['validate', '-f', file, '--failure-threshold', 'Info'])).code, 79);
  });

  it('-o json prints a parseable array of findings with istioctl key names and nothing else', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, 'a-rules.yaml'), MISSPELLED_FIELD);
    await writeFile(join(dir, 'b-ratings.yaml'), DEPRECATED_FIELD);
    const result = await runCli(['validate', dir, '-o', 'json']);
    assert.equal(result.code, 79);
    const entries = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    assert.ok(Array.isArray(entries));
    assert.deepEqual(entries[0], {
      code: 'HEDDLE_UNKNOWN_FIELD',
      level: 'Error',
      origin: 'DestinationRule shop/reviews',
      reference: `${join(dir, 'a-rules.yaml')}:11`,
      field: 'spec.trafficPolicy.conectionPool',
      message: entries[0]?.message,
    });
    assert.equal(typeof entries[0]?.message, 'string');
    assert.equal(entries[1]?.code, 'HEDDLE_DEPRECATED_FIELD');
    assert.equal(entries[1]?.level, 'Warning');
    for (const entry of entries) {
      for (const key of Object.keys(entry)) assert.ok(REPORT_KEYS.has(key), `unexpected key ${key}`);
      assert.ok(!('documentationUrl' in entry) || typeof entry.documentationUrl === 'string');
    }
  });

  it('-o json prints [] for a clean run', async (t) => {
    const file = join(await tempDir(t), 'reviews.yaml');
    await writeFile(file, CLEAN_VIRTUAL_SERVICE);
    const result = await runCli(['validate', '-f', file, '--output=json']);
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout), []);
  });

  it('accepts -o in any case, joined to its value, and istioctl\'s "log" for text', async (t) => {
    const file = join(await tempDir(t), 'reviews.yaml');
    await writeFile(file, CLEAN_VIRTUAL_SERVICE);
    for (const args of [['-oJSON'], ['--output=Json']]) {
      const result = await runCli(['validate', file, ...args]);
      assert.equal(result.code, 0, args.join(' '));
      assert.deepEqual(JSON.parse(result.stdout), [], args.join(' '));
    }
    const log = await runCli(['validate', file, '-o', 'log']);
    assert.equal(log.code, 0);
    assert.equal(log.stdout, '1 file, 1 resource: 0 errors, 0 warnings, 0 info\n');
  });

  it('-o yaml prints the same entries as -o json, as parseable YAML', async (t) => {
    const dir = await tempDir(t);
    // Values that YAML would misread if written plainly: a colon, a leading quote, a number, "yes".
    await writeFile(join(dir, 'odd: name.yaml'), MISSPELLED_FIELD.replace('name: reviews', 'name: "007"'));
    await writeFile(join(dir, 'yes.yaml'), DEPRECATED_FIELD);
    const json = await runCli(['validate', dir, '-o', 'json']);
    const yaml = await runCli(['validate', dir, '-o', 'yaml']);
    assert.equal(yaml.code, 79);
    const parsed = parseDocuments('stdout', yaml.stdout);
    assert.deepEqual(parsed.findings, []);
    assert.equal(parsed.documents.length, 1);
    assert.deepEqual(parsed.documents[0]?.value, JSON.parse(json.stdout));
  });

  it('reads standard input with -f -', async () => {
    const result = await runCli(['validate', '-f', '-'], { input: MISSPELLED_FIELD });
    assert.equal(result.code, 79);
    assert.match(
      result.stdout,
      /^Error \[HEDDLE_UNKNOWN_FIELD\] \(DestinationRule shop\/reviews <stdin>:11\) /m,
    );
    assert.match(result.stdout, /^1 file, 1 resource: 1 error/m);
  });

  it('warns when standard input is empty instead of passing silently', async () => {
    const result = await runCli(['validate', '-'], { input: '' });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Warning \[HEDDLE_FILE_EMPTY\] \(<stdin>\) standard input was empty/m);
    assert.equal((await runCli(['validate', '-', '--failure-threshold', 'Warning'], { input: '' })).code, 79);
  });

  it('walks directories recursively, reads only .yaml, .yml and .json, in sorted order', async (t) => {
    const dir = await tempDir(t);
    await mkdir(join(dir, 'b', 'deeper'), { recursive: true });
    await writeFile(join(dir, 'b', 'deeper', 'rules.yml'), MISSPELLED_FIELD);
    await writeFile(join(dir, 'a.yaml'), MISSPELLED_FIELD.replace('name: reviews', 'name: first'));
    await writeFile(
      join(dir, 'c.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }),
    );
    // Not config: these would fail to parse if they were read.
    await writeFile(join(dir, 'notes.txt'), 'key: [unclosed\n\tbad');
    await writeFile(join(dir, 'b', 'README.md'), '# title\n: : :\n');
    const result = await runCli(['validate', dir]);
    assert.equal(result.code, 79, result.stdout);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0] ?? '', new RegExp(`shop/first ${escape(join(dir, 'a.yaml'))}:11\\)`));
    assert.match(
      lines[1] ?? '',
      new RegExp(`shop/reviews ${escape(join(dir, 'b', 'deeper', 'rules.yml'))}:11\\)`),
    );
    assert.equal(lines[2], '3 files, 3 resources: 2 errors, 0 warnings, 0 info');
  });

  it('accepts -f several times, mixed with positional paths, and reads each file once', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, 'one.yaml'), CLEAN_VIRTUAL_SERVICE);
    await writeFile(join(dir, 'two.yaml'), CLEAN_VIRTUAL_SERVICE.replace('name: reviews', 'name: other'));
    const one = join(dir, 'one.yaml');
    const result = await runCli(['validate', '-f', one, join(dir, 'two.yaml'), '-f', one, dir]);
    assert.equal(result.code, 0, result.stdout);
    assert.equal(result.stdout, '2 files, 2 resources: 0 errors, 0 warnings, 0 info\n');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
