// Which revision's control plane a `heddle run` sidecar follows (`--revision`, else its `istio.io/rev` label,
// else the default), and the move to another one that `heddle upgrade` asks for. The sidecar's bootstrap
// names a relay in this process instead of the control plane, so a move re-points the relay: the sidecar
// keeps serving on its last config, reconnects, and is then served by the new revision.
//   <dataDir>/workloads/<name>.<namespace>/run.json       this process, its node id and current revision
//   <dataDir>/workloads/<name>.<namespace>/revision.json  the revision `heddle upgrade` wants (then SIGUSR2)
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { CliError } from '../cli-error.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import {
  describeRevision,
  normalizeRevision,
  readInstalledProfiles,
  readJsonFile,
  readRunningInstall,
  writeJsonFile,
} from '../install/install-state.ts';
import { proxyNodeOptions } from '../install/extra-gateway.ts';
import { startXdsRelay, type XdsRelay } from '../install/xds-relay.ts';
import { dataPaths } from '../up/data-home.ts';

/** The label Istio workloads pick their control-plane revision with. */
export const REVISION_LABEL = 'istio.io/rev';
/** What `heddle upgrade` sends after writing revision.json. */
export const FOLLOW_SIGNAL = 'SIGUSR2';

export interface WorkloadRunRecord {
  readonly pid: number;
  readonly name: string;
  readonly namespace: string;
  readonly nodeId: string;
  readonly revision: string;
}

export interface WorkloadRevision {
  /** What the sidecar's bootstrap names as its control plane. */
  readonly xdsAddress: string;
  readonly revision: string;
  /** Bootstrap fields from the revision's install (`concurrency`). */
  readonly bootstrapExtras: Readonly<Record<string, unknown>>;
  /** The sidecar's environment, with its heap sized from the install's memory limit. */
  sidecarEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined>;
  /** Writes run.json and starts answering FOLLOW_SIGNAL. */
  announce(nodeId: string, signals: NodeJS.EventEmitter): Promise<void>;
  close(): Promise<void>;
}

export interface WorkloadRevisionInput {
  readonly dataDir: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly revision?: string;
  /** The default revision's xDS address, as `heddle run` found it. */
  readonly defaultXdsAddress: string;
  /** Where the relay listens: 127.0.0.1, or the host's bridge address for a transparent workload. */
  readonly relayHost?: string;
}

export function workloadDir(dataDir: string, name: string, namespace: string): string {
  return join(dataPaths(dataDir).workloads, `${name}.${namespace}`);
}

export async function linkWorkloadRevision(input: WorkloadRevisionInput): Promise<WorkloadRevision> {
  const dir = workloadDir(input.dataDir, input.name, input.namespace);
  const revision = normalizeRevision(input.revision ?? input.labels[REVISION_LABEL]);
  const resolve = async (wanted: string): Promise<string> => {
    if (wanted === '') return input.defaultXdsAddress;
    const running = await readRunningInstall(input.dataDir);
    const address = running?.revisions[wanted]?.xdsAddress;
    if (address === undefined)
      throw new CliError(
        `${describeRevision(wanted)} is not running (install it with \`heddle install --revision ${wanted}\`)`,
        EXIT_CODES.UNAVAILABLE,
      );
    return address;
  };
  const profile = (await readInstalledProfiles(input.dataDir)).find(
    (entry) => entry.plan.revision === revision,
  );
  const relay: XdsRelay = await startXdsRelay(await resolve(revision), input.relayHost);
  let current = revision;
  let record: WorkloadRunRecord | undefined;
  let signals: NodeJS.EventEmitter | undefined;

  const follow = async (): Promise<void> => {
    const wanted = await readJsonFile<{ revision?: unknown }>(join(dir, 'revision.json'));
    const next = normalizeRevision(typeof wanted?.revision === 'string' ? wanted.revision : undefined);
    relay.retarget(await resolve(next));
    current = next;
    if (record) {
      record = { ...record, revision: current };
      await writeJsonFile(join(dir, 'run.json'), record);
    }
  };
  const onFollow = (): void => void follow().catch(() => undefined);

  return {
    xdsAddress: relay.address,
    revision,
    bootstrapExtras:
      profile?.plan.proxy.concurrency !== undefined ? { concurrency: profile.plan.proxy.concurrency } : {},
    sidecarEnv: (env) => proxyNodeOptions(env, profile?.plan.proxy.heapMegabytes),
    async announce(nodeId, target) {
      record = { pid: process.pid, name: input.name, namespace: input.namespace, nodeId, revision: current };
      await rm(join(dir, 'revision.json'), { force: true });
      await writeJsonFile(join(dir, 'run.json'), record);
      signals = target;
      signals.on(FOLLOW_SIGNAL, onFollow);
    },
    async close() {
      signals?.off(FOLLOW_SIGNAL, onFollow);
      await rm(join(dir, 'run.json'), { force: true });
      await relay.close();
    },
  };
}
