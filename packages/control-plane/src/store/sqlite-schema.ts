// The sqlite store's tables and pragmas, versioned with PRAGMA user_version so later releases can migrate.
import type { DatabaseSync } from 'node:sqlite';
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../errors.ts';

export const SCHEMA_VERSION = 1;

export function migrate(db: DatabaseSync): void {
  // WAL lets readers (another heddle process, `sqlite3`) look while we write; NORMAL is durable in WAL mode
  // except for the last commits before a power loss, which the next apply re-creates anyway.
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA busy_timeout = 5000');
  const version = Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
  if (version > SCHEMA_VERSION) {
    throw new ControlPlaneError(
      CONTROL_PLANE_CODES.STORE_SCHEMA_UNSUPPORTED,
      `the config database has schema version ${version}, newer than this Heddle understands (${SCHEMA_VERSION}); use a newer heddle or another data directory`,
      { version, supported: SCHEMA_VERSION },
    );
  }
  if (version === SCHEMA_VERSION) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    // The revision lives apart from the rows: deleting the newest resource must not move it backwards.
    db.exec(`
      CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
      INSERT OR IGNORE INTO store_meta (key, value) VALUES ('revision', 0);
      CREATE TABLE IF NOT EXISTS resources (
        kind TEXT NOT NULL,
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        revision INTEGER NOT NULL,
        object TEXT NOT NULL,
        PRIMARY KEY (kind, namespace, name)
      ) STRICT, WITHOUT ROWID;
      PRAGMA user_version = ${SCHEMA_VERSION};
    `);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
