// The sqlite store passes the ConfigStore contract, and keeps its data and revision across restarts.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite-store.ts';
import { runStoreContract, serviceEntry } from './store-contract.ts';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'heddle-sqlite-store-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

runStoreContract('sqlite', (now) => Promise.resolve(openSqliteStore({ dataDir: freshDir(), now })));

describe('sqlite store on disk', () => {
  it('creates <dataDir>/config.db in WAL mode, making the data directory if needed', async () => {
    const dataDir = join(freshDir(), 'nested', 'data');
    const store = openSqliteStore({ dataDir });
    await store.apply([serviceEntry('a', ['a.example'])]);
    await store.close();
    assert.ok(existsSync(join(dataDir, 'config.db')));
    const db = new DatabaseSync(join(dataDir, 'config.db'));
    assert.equal(db.prepare('PRAGMA journal_mode').get()?.journal_mode, 'wal');
    db.close();
  });

  it('keeps resources and continues the revision after close and reopen', async () => {
    const dataDir = freshDir();
    const first = openSqliteStore({ dataDir });
    await first.apply([serviceEntry('a', ['a.example']), serviceEntry('b', ['b.example'])]);
    await first.delete([{ kind: 'ServiceEntry', namespace: 'default', name: 'b' }]);
    await first.close();

    const second = openSqliteStore({ dataDir });
    assert.equal(await second.revision(), 2);
    const listed = await second.list();
    assert.deepEqual(
      listed.items.map((r) => `${r.metadata.name}@${r.metadata.resourceVersion}`),
      ['a@1'],
    );
    const result = await second.apply([serviceEntry('a', ['a2.example'])]);
    assert.equal(result.revision, 3);
    assert.equal((await second.get('ServiceEntry', 'default', 'a'))?.metadata.generation, 2);
    await second.close();
  });

  it('refuses a database written by a newer schema', () => {
    const dataDir = freshDir();
    const db = new DatabaseSync(join(dataDir, 'config.db'));
    db.exec('PRAGMA user_version = 99');
    db.close();
    assert.throws(() => openSqliteStore({ dataDir }), { code: 'HEDDLE_STORE_SCHEMA_UNSUPPORTED' });
  });
});
