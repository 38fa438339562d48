// The messages between the main process and its worker processes (`concurrency` > 1), sent over the
// child_process IPC channel with the `advanced` (structured clone) serialization, so byte arrays travel as
// they are: xDS resources go as the protobuf binary of their Any values, never as JSON.
import type { ClusterInfo, ListenerInfo } from '../admin/admin-sources.ts';
import type { LogLevel } from '../admin/logger.ts';
import type { Bootstrap } from '../xds/bootstrap.ts';
import type { WireStats } from './stats-wire.ts';

/** One resource of an update: the type URL and serialized bytes of its Any. */
export interface WireResource {
  readonly typeUrl: string;
  readonly value: Uint8Array;
}

/** One SDS name as the workers see it: the material the main process's secret provider answers. */
export interface WireSecret {
  readonly name: string;
  readonly certificate?: { readonly certificateChain: string; readonly privateKey: string };
  readonly validation?: { readonly trustedCa: string };
}

/** The first message a worker receives, once it has said hello. */
export interface WorkerInit {
  readonly kind: 'init';
  readonly workerId: number;
  readonly bootstrap: Bootstrap;
  readonly logLevel: LogLevel;
  readonly drainTimeoutMs: number;
}

/** The main process's logger levels after an admin `/logging` change; workers take them as they are. */
export interface LogLevelsMessage {
  readonly kind: 'log-levels';
  readonly levels: Readonly<Record<string, LogLevel>>;
}

export interface SecretsMessage {
  readonly kind: 'secrets';
  readonly secrets: readonly WireSecret[];
}

/**
 * Clusters and listeners go in two phases, as in one process: `stage` prepares the update and takes what it
 * needs (listener sockets) and answers whether it can be applied — the main process ACKs only when every
 * worker could, and NACKs with the first error otherwise — then `commit` puts the staged update in force (a
 * worker started in between prepares it from the resources it carries). Endpoints and routes, and the
 * config in force given to a new worker, go in one `apply`.
 */
export type WorkerRequest =
  | {
      readonly kind: 'apply';
      readonly typeUrl: string;
      readonly resources: readonly WireResource[];
    }
  | {
      readonly kind: 'stage';
      readonly stageId: number;
      readonly typeUrl: string;
      readonly resources: readonly WireResource[];
    }
  | {
      readonly kind: 'commit';
      readonly stageId: number;
      readonly typeUrl: string;
      readonly resources: readonly WireResource[];
    }
  /** Answered once everything sent before it is applied and its listeners bound. */
  | { readonly kind: 'ping' }
  | { readonly kind: 'stats' }
  | { readonly kind: 'describe' }
  | { readonly kind: 'drain' }
  | { readonly kind: 'close' };

export interface RequestMessage {
  readonly kind: 'request';
  readonly id: number;
  readonly request: WorkerRequest;
}

export type MainToWorker = WorkerInit | SecretsMessage | LogLevelsMessage | RequestMessage;

export interface WorkerDescription {
  readonly clusters: readonly ClusterInfo[];
  readonly listeners: readonly ListenerInfo[];
}

/** What each request answers with. */
export interface WorkerReplies {
  readonly apply: undefined;
  readonly stage: undefined;
  readonly commit: undefined;
  readonly ping: undefined;
  readonly stats: WireStats;
  readonly describe: WorkerDescription;
  readonly drain: undefined;
  readonly close: undefined;
}

export type WorkerToMain =
  | { readonly kind: 'hello' }
  | { readonly kind: 'reply'; readonly id: number; readonly value?: unknown; readonly error?: string };

/** Set in each worker's environment: its index. The listeners of a worker bind with SO_REUSEPORT. */
export const WORKER_ID_ENV = 'HEDDLE_PROXY_WORKER_ID';
