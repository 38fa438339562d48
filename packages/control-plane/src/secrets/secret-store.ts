// The local secret store: TLS credentials for Gateway `credentialName`, one owner-only JSON file per secret in
// `<dataDir>/secrets/<namespace>/<name>.json`, held in memory for the snapshot and replaced atomically on change.
// The directory is the one source of truth for every control plane of a data directory (heddle up's and each
// installed revision's): while anyone listens, the store checks it for files another process wrote or removed.
//
// Files rather than a table of the config database: that database (and its WAL) is readable with the umask's
// mode and may be another store altogether (etcd, Kubernetes); private keys belong in 0600 files in a 0700
// directory, like the CA's own key, and an atomic rename gives a rotation no reader sees half done.
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CredentialMaterial } from '@heddle/translate';
import { ensurePrivateDir, replaceFile } from '../ca/atomic-files.ts';
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../errors.ts';
import { summarizeTlsSecret } from './summarize-tls-secret.ts';
import type { StoredTlsSecret, TlsSecretInput, TlsSecretSummary } from './tls-secret.ts';
import { checkName, validateTlsSecret } from './validate-tls-secret.ts';

export const SECRETS_DIR = 'secrets';
const FILE_SUFFIX = '.json';
/** The on-disk format; a newer one is refused rather than misread. */
const FILE_VERSION = 1;

export interface SecretStoreOptions {
  readonly dataDir: string;
  /** For validity checks and timestamps; tests pass a fixed clock. */
  readonly now?: () => Date;
  /** How often the directory is checked for other writers' changes while anyone listens; 0 never. 1 s by default. */
  readonly watchIntervalMs?: number;
}

const DEFAULT_WATCH_INTERVAL_MS = 1_000;

export interface PutOptions {
  /** Replace an existing secret of that name (a rotation); without it, an existing one is a conflict. */
  readonly overwrite?: boolean;
}

export interface PutResult {
  readonly created: boolean;
  readonly secret: TlsSecretSummary;
}

export class SecretStore {
  readonly #dir: string;
  readonly #now: () => Date;
  readonly #secrets = new Map<string, StoredTlsSecret>();
  readonly #listeners = new Set<() => void>();
  /** What each file was when last read or written (`namespace/name` → inode, size, mtime): a change is a new one. */
  readonly #stamps = new Map<string, string>();
  readonly #watchIntervalMs: number;
  #watchTimer: ReturnType<typeof setInterval> | undefined;
  #scanning = false;
  /** Files that could not be read at open, each a HEDDLE_SECRET_STORE_INVALID message. */
  readonly problems: string[] = [];
  /** Writes one at a time, so that two requests for one name cannot interleave their file and map updates. */
  #writes: Promise<unknown> = Promise.resolve();

  private constructor(options: SecretStoreOptions) {
    this.#dir = join(options.dataDir, SECRETS_DIR);
    this.#now = options.now ?? (() => new Date());
    this.#watchIntervalMs = options.watchIntervalMs ?? DEFAULT_WATCH_INTERVAL_MS;
  }

  /** Reads every secret file; damaged ones are skipped and listed in `problems`. */
  static async open(options: SecretStoreOptions): Promise<SecretStore> {
    const store = new SecretStore(options);
    await store.#load();
    return store;
  }

  /** `namespace/name` of every secret, for the snapshot's `credentials`. */
  names(): string[] {
    return [...this.#secrets.keys()].sort();
  }

  /** The PEM material by `namespace/name`, for the snapshot's `credentialMaterial`. */
  material(): ReadonlyMap<string, CredentialMaterial> {
    const material = new Map<string, CredentialMaterial>();
    for (const [key, secret] of this.#secrets) {
      material.set(key, {
        ...(secret.certificateChain ? { certificateChain: secret.certificateChain } : {}),
        ...(secret.privateKey ? { privateKey: secret.privateKey } : {}),
        ...(secret.caCertificate ? { caCertificate: secret.caCertificate } : {}),
      });
    }
    return material;
  }

  list(namespace?: string): TlsSecretSummary[] {
    return this.names()
      .map((key) => this.#secrets.get(key) as StoredTlsSecret)
      .filter((secret) => namespace === undefined || secret.namespace === namespace)
      .map(summarizeTlsSecret);
  }

  get(namespace: string, name: string): TlsSecretSummary | undefined {
    const secret = this.#secrets.get(`${namespace}/${name}`);
    return secret && summarizeTlsSecret(secret);
  }

  /** Validates, writes the file, then tells listeners; throws HEDDLE_SECRET_* errors. */
  put(input: TlsSecretInput, options: PutOptions = {}): Promise<PutResult> {
    return this.#serialize(async () => {
      const now = this.#now();
      const valid = validateTlsSecret(input, now);
      const key = `${valid.namespace}/${valid.name}`;
      const existing = this.#secrets.get(key);
      if (existing && !options.overwrite) {
        throw new ControlPlaneError(
          CONTROL_PLANE_CODES.SECRET_EXISTS,
          `secret ${key} already exists; overwrite it to replace its certificate`,
          { namespace: valid.namespace, name: valid.name },
        );
      }
      const stored: StoredTlsSecret = {
        ...valid,
        createdAt: existing?.createdAt ?? now.toISOString(),
        updatedAt: now.toISOString(),
      };
      const dir = join(this.#dir, valid.namespace);
      await ensurePrivateDir(this.#dir);
      await ensurePrivateDir(dir);
      const path = join(dir, `${valid.name}${FILE_SUFFIX}`);
      await replaceFile(path, `${JSON.stringify({ version: FILE_VERSION, ...stored }, null, 2)}\n`);
      this.#secrets.set(key, stored);
      await this.#recordStamp(key, path);
      this.#changed();
      return { created: !existing, secret: summarizeTlsSecret(stored) };
    });
  }

  /** The removed secret's summary; throws HEDDLE_SECRET_NOT_FOUND. */
  delete(namespace: string, name: string): Promise<TlsSecretSummary> {
    return this.#serialize(async () => {
      checkName(namespace, name);
      const key = `${namespace}/${name}`;
      const existing = this.#secrets.get(key);
      if (!existing) throw notFound(namespace, name);
      await rm(join(this.#dir, namespace, `${name}${FILE_SUFFIX}`), { force: true });
      this.#secrets.delete(key);
      this.#stamps.delete(key);
      this.#changed();
      return summarizeTlsSecret(existing);
    });
  }

  /**
   * Called after every change, this store's own and those other processes make to the directory; returns the
   * function that stops the calls. The directory is watched while there is at least one listener.
   */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    this.#watch();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#unwatch();
    };
  }

  /** Reads what other processes changed in the directory now; resolves true when anything did. */
  refresh(): Promise<boolean> {
    return this.#serialize(async () => {
      const changed = await this.#rescan();
      if (changed) this.#changed();
      return changed;
    });
  }

  #watch(): void {
    if (this.#watchTimer !== undefined || this.#watchIntervalMs <= 0) return;
    this.#watchTimer = setInterval(() => {
      if (this.#scanning) return;
      this.#scanning = true;
      void this.refresh()
        .catch(() => undefined)
        .finally(() => (this.#scanning = false));
    }, this.#watchIntervalMs);
    this.#watchTimer.unref();
  }

  #unwatch(): void {
    clearInterval(this.#watchTimer);
    this.#watchTimer = undefined;
  }

  /** Brings the map in line with the files whose stamp changed; true when a secret appeared, changed or went. */
  async #rescan(): Promise<boolean> {
    const onDisk = new Map<string, { path: string; stamp: string; namespace: string; name: string }>();
    for (const namespace of await entries(this.#dir)) {
      for (const file of await entries(join(this.#dir, namespace))) {
        if (!file.endsWith(FILE_SUFFIX)) continue;
        const path = join(this.#dir, namespace, file);
        const stamp = await stampOf(path);
        const name = file.slice(0, -FILE_SUFFIX.length);
        if (stamp !== undefined) onDisk.set(`${namespace}/${name}`, { path, stamp, namespace, name });
      }
    }
    let changed = false;
    for (const [key, file] of onDisk) {
      if (this.#stamps.get(key) === file.stamp) continue;
      this.#stamps.set(key, file.stamp);
      try {
        const secret = parseStored(await readFile(file.path, 'utf8'), file.namespace, file.name);
        this.#secrets.set(key, secret);
        changed = true;
      } catch {
        // A damaged file (edited by hand) does not take away what is served; a later good write replaces it.
      }
    }
    for (const key of [...this.#stamps.keys()]) {
      if (onDisk.has(key)) continue;
      this.#stamps.delete(key);
      if (this.#secrets.delete(key)) changed = true;
    }
    return changed;
  }

  async #recordStamp(key: string, path: string): Promise<void> {
    const stamp = await stampOf(path);
    if (stamp !== undefined) this.#stamps.set(key, stamp);
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  #serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#writes.then(work, work);
    this.#writes = next.catch(() => undefined);
    return next;
  }

  async #load(): Promise<void> {
    for (const namespace of await entries(this.#dir)) {
      for (const file of await entries(join(this.#dir, namespace))) {
        if (!file.endsWith(FILE_SUFFIX)) continue;
        const path = join(this.#dir, namespace, file);
        const key = `${namespace}/${file.slice(0, -FILE_SUFFIX.length)}`;
        // Stamped before reading: a file replaced meanwhile is read again by the next check.
        const stamp = await stampOf(path);
        if (stamp !== undefined) this.#stamps.set(key, stamp);
        try {
          const secret = parseStored(
            await readFile(path, 'utf8'),
            namespace,
            file.slice(0, -FILE_SUFFIX.length),
          );
          this.#secrets.set(`${secret.namespace}/${secret.name}`, secret);
        } catch (error) {
          this.problems.push(
            `${CONTROL_PLANE_CODES.SECRET_STORE_INVALID}: ${path} is not served: ${(error as Error).message}`,
          );
        }
      }
    }
  }
}

export function notFound(namespace: string, name: string): ControlPlaneError {
  return new ControlPlaneError(
    CONTROL_PLANE_CODES.SECRET_NOT_FOUND,
    `secret ${namespace}/${name} not found`,
    {
      namespace,
      name,
    },
  );
}

/** Inode, size and modification time: a rename (every write here) changes the inode. */
async function stampOf(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    return `${info.ino}:${info.size}:${info.mtimeMs}`;
  } catch {
    return undefined;
  }
}

async function entries(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // No directory yet, or a stray file where a namespace directory would be.
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}

/** The file is checked again as if it were a new request (it may have been edited by hand), but not for expiry. */
function parseStored(content: string, namespace: string, name: string): StoredTlsSecret {
  const json = JSON.parse(content) as Record<string, unknown>;
  if (json.version !== FILE_VERSION) throw new Error(`unknown file version ${JSON.stringify(json.version)}`);
  if (json.namespace !== namespace || json.name !== name)
    throw new Error(`it names ${String(json.namespace)}/${String(json.name)}, not ${namespace}/${name}`);
  const text = (field: string): string | undefined =>
    typeof json[field] === 'string' ? json[field] : undefined;
  const input = {
    namespace,
    name,
    ...optional('certificateChain', text('certificateChain')),
    ...optional('privateKey', text('privateKey')),
    ...optional('caCertificate', text('caCertificate')),
  };
  // A certificate that expired while stored is still served: the gateway keeps working until it is replaced.
  const valid = validateTlsSecret(input, undefined);
  return {
    ...valid,
    createdAt: text('createdAt') ?? new Date(0).toISOString(),
    updatedAt: text('updatedAt') ?? new Date(0).toISOString(),
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
