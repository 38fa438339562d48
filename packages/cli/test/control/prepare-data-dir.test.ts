import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CliError } from '../../src/cli-error.ts';
import { prepareDataDir } from '../../src/control/prepare-data-dir.ts';
import { EXIT_CODES } from '../../src/exit-codes.ts';

describe('prepareDataDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'heddle-data-dir-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('creates every missing level and answers the absolute path', async () => {
    const dir = await prepareDataDir('a/b/c', root);
    assert.equal(dir, join(root, 'a', 'b', 'c'));
    assert.ok(statSync(dir).isDirectory());
    assert.equal(await prepareDataDir('a/b/c', root), dir, 'an existing directory is fine');
  });

  it('refuses a path under a file with exit 73', async () => {
    writeFileSync(join(root, 'plain-file'), '');
    await assert.rejects(prepareDataDir('plain-file/data', root), (error: unknown) => {
      assert.ok(error instanceof CliError);
      assert.equal(error.exitCode, EXIT_CODES.CANNOT_CREATE);
      assert.match(error.message, /cannot use data directory .*plain-file\/data/);
      return true;
    });
  });

  it('answers, rather than hanging, for a directory under /proc', async () => {
    await assert.rejects(prepareDataDir('/proc/heddle-no-such-dir/data', root), (error: unknown) => {
      assert.ok(error instanceof CliError);
      assert.equal(error.exitCode, EXIT_CODES.CANNOT_CREATE);
      return true;
    });
  });
});
