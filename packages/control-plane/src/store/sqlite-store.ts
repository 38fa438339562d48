// The embedded default ConfigStore: one SQLite file (<dataDir>/config.db) in WAL mode, a transaction per batch,
// and a store-wide revision that survives restarts.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../errors.ts';
import { planApply, planDelete } from './apply-plan.ts';
import { asPromise } from './as-promise.ts';
import type {
  WriteOptions,
  ApplyResult,
  ConfigStore,
  DeleteResult,
  ListFilter,
  ListResult,
  ResourceInput,
  StoredResource,
  WatchListener,
} from './config-store.ts';
import { deepFreeze } from './deep-freeze.ts';
import { compareKeys, keyOfStored, type ResourceKey } from './resource-key.ts';
import { migrate } from './sqlite-schema.ts';
import { toTimestamp } from './timestamp.ts';
import { WatchHub } from './watch-hub.ts';

export const SQLITE_STORE_FILE = 'config.db';

export interface SqliteStoreOptions {
  /** Created when missing. */
  readonly dataDir: string;
  /** Clock for creationTimestamp; tests pass a fixed one. */
  readonly now?: () => Date;
}

interface Statements {
  readonly get: StatementSync;
  readonly list: StatementSync;
  readonly put: StatementSync;
  readonly remove: StatementSync;
  readonly revision: StatementSync;
  readonly setRevision: StatementSync;
}

/** Opens (or creates) the store in `dataDir`. Watchers see commits made through this instance only. */
export function openSqliteStore(options: SqliteStoreOptions): ConfigStore {
  mkdirSync(options.dataDir, { recursive: true });
  const db = new DatabaseSync(join(options.dataDir, SQLITE_STORE_FILE));
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteConfigStore(db, options.now ?? (() => new Date()));
}

class SqliteConfigStore implements ConfigStore {
  readonly #db: DatabaseSync;
  readonly #sql: Statements;
  readonly #hub = new WatchHub();
  readonly #now: () => Date;
  #closed = false;

  constructor(db: DatabaseSync, now: () => Date) {
    this.#db = db;
    this.#now = now;
    this.#sql = {
      get: db.prepare('SELECT object FROM resources WHERE kind = ? AND namespace = ? AND name = ?'),
      list: db.prepare(
        'SELECT object FROM resources WHERE (:kind IS NULL OR kind = :kind) AND (:namespace IS NULL OR namespace = :namespace)',
      ),
      put: db.prepare(
        'INSERT INTO resources (kind, namespace, name, revision, object) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT (kind, namespace, name) DO UPDATE SET revision = excluded.revision, object = excluded.object',
      ),
      remove: db.prepare('DELETE FROM resources WHERE kind = ? AND namespace = ? AND name = ?'),
      revision: db.prepare("SELECT value FROM store_meta WHERE key = 'revision'"),
      setRevision: db.prepare("UPDATE store_meta SET value = ? WHERE key = 'revision'"),
    };
  }

  list(filter: ListFilter = {}): Promise<ListResult> {
    return asPromise(() => {
      this.#checkOpen();
      // One read transaction, so the items and the revision describe the same moment.
      return this.#transaction('BEGIN DEFERRED', () => {
        const rows = this.#sql.list.all({ kind: filter.kind ?? null, namespace: filter.namespace ?? null });
        const items = rows
          .map((row) => parseObject(row.object))
          .sort((a, b) => compareKeys(keyOfStored(a), keyOfStored(b)));
        return { revision: this.#readRevision(), items };
      });
    });
  }

  get(kind: string, namespace: string, name: string): Promise<StoredResource | undefined> {
    return asPromise(() => {
      this.#checkOpen();
      return this.#lookup({ kind, namespace, name });
    });
  }

  apply(objects: readonly ResourceInput[], options: WriteOptions = {}): Promise<ApplyResult> {
    return asPromise(() => {
      this.#checkOpen();
      const plan = this.#transaction('BEGIN IMMEDIATE', () => {
        const planned = planApply(objects, options, this.#lookup, this.#readRevision(), this.#timestamp());
        for (const resource of planned.writes) {
          const { kind, namespace, name } = keyOfStored(resource);
          this.#sql.put.run(kind, namespace, name, planned.revision, JSON.stringify(resource));
        }
        if (planned.writes.length > 0) this.#sql.setRevision.run(planned.revision);
        return planned;
      });
      this.#hub.publish(plan.writes.map((resource) => ({ type: 'put', resource, revision: plan.revision })));
      return { revision: plan.revision, results: plan.results };
    });
  }

  delete(keys: readonly ResourceKey[], options: WriteOptions = {}): Promise<DeleteResult> {
    return asPromise(() => {
      this.#checkOpen();
      const plan = this.#transaction('BEGIN IMMEDIATE', () => {
        const planned = planDelete(keys, options, this.#lookup, this.#readRevision());
        for (const resource of planned.deletes) {
          const { kind, namespace, name } = keyOfStored(resource);
          this.#sql.remove.run(kind, namespace, name);
        }
        if (planned.deletes.length > 0) this.#sql.setRevision.run(planned.revision);
        return planned;
      });
      this.#hub.publish(
        plan.deletes.map((resource) => ({ type: 'delete', resource, revision: plan.revision })),
      );
      return { revision: plan.revision, deleted: plan.deletes };
    });
  }

  watch(listener: WatchListener): () => void {
    this.#checkOpen();
    return this.#hub.add(listener);
  }

  revision(): Promise<number> {
    return asPromise(() => {
      this.#checkOpen();
      return this.#readRevision();
    });
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#hub.clear();
      this.#db.close();
    }
    return Promise.resolve();
  }

  readonly #lookup = (key: ResourceKey): StoredResource | undefined => {
    const row = this.#sql.get.get(key.kind, key.namespace, key.name);
    return row ? parseObject(row.object) : undefined;
  };

  #readRevision(): number {
    return Number(this.#sql.revision.get()?.value ?? 0);
  }

  #timestamp(): string {
    return toTimestamp(this.#now());
  }

  /** IMMEDIATE takes the write lock up front, so another process cannot commit between our read and write. */
  #transaction<T>(begin: 'BEGIN DEFERRED' | 'BEGIN IMMEDIATE', body: () => T): T {
    this.#db.exec(begin);
    try {
      const result = body();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  #checkOpen(): void {
    if (this.#closed)
      throw new ControlPlaneError(CONTROL_PLANE_CODES.STORE_CLOSED, 'the config store is closed');
  }
}

function parseObject(value: unknown): StoredResource {
  return deepFreeze(JSON.parse(String(value)) as StoredResource);
}
