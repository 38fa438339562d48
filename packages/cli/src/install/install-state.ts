// What `heddle install` leaves in the data directory, read by `heddle up` and the other install verbs:
//   install/profiles/<revision>.json  the plan of each installed revision (`default` for the default one)
//   install/gateways.json             which revision the gateways follow
//   install/running.json              what `heddle up` runs for them now (ports, pids), written by heddle up
// Files are written whole (temporary file, then rename), so readers never see half a file.
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstallPlan } from './install-plan.ts';

export interface InstalledProfile {
  readonly version: 1;
  readonly installedAt: string;
  /** `file:line` of each IstioOperator it was made from. */
  readonly origins: readonly string[];
  readonly plan: InstallPlan;
}

export interface RunningRevision {
  readonly url: string;
  readonly xdsAddress: string;
  readonly pid?: number;
}

export interface RunningGateway {
  readonly kind: 'ingress' | 'egress';
  readonly name: string;
  readonly namespace: string;
  /** The revision whose control plane it follows ('' for the default). */
  readonly revision: string;
  readonly address: string;
  readonly httpPort: number;
  readonly portOffset: number;
  readonly adminPort: number;
  readonly healthPort: number;
  readonly nodeId: string;
  readonly pid?: number;
}

export interface RunningInstall {
  /** By revision; '' is the default control plane of heddle up. */
  readonly revisions: Readonly<Record<string, RunningRevision>>;
  readonly gateways: readonly RunningGateway[];
  /** The supervisor (heddle up) that wrote it. */
  readonly pid: number;
}

export const DEFAULT_REVISION_KEY = 'default';

export function installPaths(dataDir: string) {
  const root = join(dataDir, 'install');
  return {
    root,
    profiles: join(root, 'profiles'),
    gateways: join(root, 'gateways.json'),
    running: join(root, 'running.json'),
    lastUpgrade: join(root, 'last-upgrade.json'),
  } as const;
}

/** `--revision default` and no revision both name the default revision. */
export function normalizeRevision(revision: string | undefined): string {
  return revision === undefined || revision === DEFAULT_REVISION_KEY ? '' : revision;
}

export function revisionKey(revision: string): string {
  return revision === '' ? DEFAULT_REVISION_KEY : revision;
}

export function describeRevision(revision: string): string {
  return revision === '' ? 'the default revision' : `revision ${revision}`;
}

export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temporary, path);
}

export async function readJsonFile<T>(path: string): Promise<T | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

export async function writeInstalledProfile(dataDir: string, profile: InstalledProfile): Promise<void> {
  await writeJsonFile(
    join(installPaths(dataDir).profiles, `${revisionKey(profile.plan.revision)}.json`),
    profile,
  );
}

export async function removeInstalledProfile(dataDir: string, revision: string): Promise<boolean> {
  const path = join(installPaths(dataDir).profiles, `${revisionKey(revision)}.json`);
  const existed = (await readJsonFile(path)) !== undefined;
  await rm(path, { force: true });
  return existed;
}

/** Every installed revision's profile, the default first, then by revision name. */
export async function readInstalledProfiles(dataDir: string): Promise<InstalledProfile[]> {
  const folder = installPaths(dataDir).profiles;
  const names = await readdir(folder).catch(() => [] as string[]);
  const profiles: InstalledProfile[] = [];
  for (const name of names.filter((entry) => entry.endsWith('.json')).sort()) {
    const profile = await readJsonFile<InstalledProfile>(join(folder, name));
    if (profile?.version === 1) profiles.push(profile);
  }
  return profiles.sort((a, b) =>
    a.plan.revision === '' ? -1 : b.plan.revision === '' ? 1 : a.plan.revision.localeCompare(b.plan.revision),
  );
}

export async function readGatewayRevision(dataDir: string): Promise<string> {
  const value = await readJsonFile<{ revision?: unknown }>(installPaths(dataDir).gateways);
  return typeof value?.revision === 'string' ? value.revision : '';
}

export async function writeGatewayRevision(dataDir: string, revision: string): Promise<void> {
  await writeJsonFile(installPaths(dataDir).gateways, { revision });
}

export async function readRunningInstall(dataDir: string): Promise<RunningInstall | undefined> {
  const value = await readJsonFile<RunningInstall>(installPaths(dataDir).running);
  return value && typeof value.revisions === 'object' && Array.isArray(value.gateways) ? value : undefined;
}
