// The self-signed CA's files in `<dataDir>/ca/`: its roots (certificate + key each) and which of them sign.
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../errors.ts';
import { createFileOnce, ensurePrivateDir, replaceFile } from './atomic-files.ts';
import {
  CA_KEY_TYPES,
  exportPrivateKeyPem,
  generateKeyPair,
  importPrivateKeyPem,
  type CaKeyType,
} from './key-type.ts';
import { certificatePem, parseCertificates } from './pem.ts';
import { createRootCertificate } from './root-certificate.ts';
import type { CaRoot, RootRing } from './root-ring.ts';

/** The commit point: root files are written first, then this names them. */
export const CA_STATE_FILE = 'ca-state.json';
const STATE_VERSION = 1;

interface StateFile {
  readonly version: number;
  readonly keyType: CaKeyType;
  /** Root ids, oldest first. */
  readonly roots: readonly string[];
  readonly signing: string;
}

export interface StoredRing {
  readonly ring: RootRing;
  readonly keyType: CaKeyType;
  /** True when this call made the first root (a fresh data directory). */
  readonly created: boolean;
}

const certFile = (id: string) => `root-${id}-cert.pem`;
const keyFile = (id: string) => `root-${id}-key.pem`;

/** Loads the roots, or makes the first one when the directory holds none. */
export async function openRootRing(dir: string, keyType: CaKeyType, now: Date): Promise<StoredRing> {
  await ensurePrivateDir(dir);
  const existing = await readState(dir);
  if (existing) return { ring: await loadRing(dir, existing), keyType: existing.keyType, created: false };
  const root = await createRoot(dir, keyType, now);
  const state: StateFile = { version: STATE_VERSION, keyType, roots: [root.id], signing: root.id };
  if (await createFileOnce(join(dir, CA_STATE_FILE), stateText(state))) {
    return { ring: { roots: [root], signingId: root.id }, keyType, created: true };
  }
  // Another control plane on this data directory created the CA at the same moment: use its root.
  await removeRootFiles(dir, root.id);
  const winner = await readState(dir);
  if (!winner) throw invalid(dir, `${CA_STATE_FILE} vanished while it was being created`);
  return { ring: await loadRing(dir, winner), keyType: winner.keyType, created: false };
}

/** A new root's files; it belongs to the CA only once a saved ring names it. */
export async function createRoot(dir: string, keyType: CaKeyType, now: Date): Promise<CaRoot> {
  const id = randomBytes(4).toString('hex');
  const keys = await generateKeyPair(keyType);
  const cert = await createRootCertificate({ keys, id, now });
  await replaceFile(join(dir, keyFile(id)), await exportPrivateKeyPem(keys.privateKey));
  await replaceFile(join(dir, certFile(id)), certificatePem(cert), 0o644);
  return { id, cert, key: keys.privateKey };
}

/** Saves which roots exist and which signs; files of roots the ring dropped are removed afterwards. */
export async function saveRootRing(
  dir: string,
  keyType: CaKeyType,
  ring: RootRing,
  dropped: readonly string[] = [],
): Promise<void> {
  const state: StateFile = {
    version: STATE_VERSION,
    keyType,
    roots: ring.roots.map((root) => root.id),
    signing: ring.signingId,
  };
  await replaceFile(join(dir, CA_STATE_FILE), stateText(state), 0o644);
  for (const id of dropped) await removeRootFiles(dir, id);
}

export async function removeRootFiles(dir: string, id: string): Promise<void> {
  await rm(join(dir, keyFile(id)), { force: true });
  await rm(join(dir, certFile(id)), { force: true });
}

async function readState(dir: string): Promise<StateFile | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, CA_STATE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw invalid(dir, `cannot read ${CA_STATE_FILE}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid(dir, `${CA_STATE_FILE} is not JSON`);
  }
  const state = value as Partial<StateFile>;
  if (typeof state.version === 'number' && state.version > STATE_VERSION) {
    throw invalid(dir, `${CA_STATE_FILE} was written by a newer Heddle (version ${state.version})`);
  }
  const ids = state.roots;
  if (
    state.version !== STATE_VERSION ||
    !CA_KEY_TYPES.includes(state.keyType as CaKeyType) ||
    !Array.isArray(ids) ||
    ids.length === 0 ||
    !ids.every((id) => typeof id === 'string' && /^[0-9a-f]{8}$/.test(id)) ||
    typeof state.signing !== 'string' ||
    !ids.includes(state.signing)
  ) {
    throw invalid(dir, `${CA_STATE_FILE} does not have the expected fields`);
  }
  return state as StateFile;
}

async function loadRing(dir: string, state: StateFile): Promise<RootRing> {
  const roots: CaRoot[] = [];
  for (const id of state.roots) {
    let certText: string;
    let keyText: string;
    try {
      certText = await readFile(join(dir, certFile(id)), 'utf8');
      keyText = await readFile(join(dir, keyFile(id)), 'utf8');
    } catch (error) {
      throw invalid(dir, `root ${id}: ${(error as Error).message}`);
    }
    const cert = parseCertificates(certText)[0];
    if (!cert) throw invalid(dir, `${certFile(id)} holds no certificate`);
    const key = await importPrivateKeyPem(keyText).catch((error: unknown) => {
      throw invalid(dir, `${keyFile(id)}: ${(error as Error).message}`);
    });
    if (!Buffer.from(cert.publicKey.rawData).equals(key.publicKeySpki)) {
      throw invalid(dir, `${keyFile(id)} does not match ${certFile(id)}`);
    }
    roots.push({ id, cert, key: key.privateKey });
  }
  return { roots, signingId: state.signing };
}

function stateText(state: StateFile): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

function invalid(dir: string, message: string): ControlPlaneError {
  return new ControlPlaneError(
    CONTROL_PLANE_CODES.CA_STATE_INVALID,
    `the CA in ${dir} is damaged: ${message}`,
    { dir },
  );
}
