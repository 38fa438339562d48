// Test handlers that record every prepare and commit into a shared log, and reject resources on demand.
import type { Message } from '@bufbuild/protobuf';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
} from '@heddle/xds';
import type { PrepareResult, ResourceHandler } from '../../../src/config/resource-handler.ts';

const KINDS: Record<string, string> = {
  [CLUSTER_TYPE_URL]: 'CDS',
  [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]: 'EDS',
  [LISTENER_TYPE_URL]: 'LDS',
  [ROUTE_CONFIGURATION_TYPE_URL]: 'RDS',
};

export class RecordingHandler implements ResourceHandler {
  readonly typeUrl: string;
  readonly kind: string;
  readonly log: string[];
  /** Names in force after the last commit. */
  committed: readonly string[] = [];
  commits = 0;
  /** Returns an error for a resource the "proxy" cannot apply. */
  reject: ((name: string, message: Message) => string | undefined) | undefined;

  constructor(typeUrl: string, log: string[]) {
    this.typeUrl = typeUrl;
    this.kind = KINDS[typeUrl] ?? typeUrl;
    this.log = log;
  }

  prepare(resources: ReadonlyMap<string, Message>): PrepareResult {
    for (const [name, message] of resources) {
      const error = this.reject?.(name, message);
      if (error !== undefined) return { error };
    }
    const names = [...resources.keys()].sort();
    return {
      commit: () => {
        this.committed = names;
        this.commits++;
        this.log.push(`${this.kind} ${names.join(',')}`);
      },
    };
  }
}

export interface RecordingHandlers {
  readonly log: string[];
  readonly cds: RecordingHandler;
  readonly eds: RecordingHandler;
  readonly lds: RecordingHandler;
  readonly rds: RecordingHandler;
  readonly all: readonly RecordingHandler[];
}

export function recordingHandlers(): RecordingHandlers {
  const log: string[] = [];
  const cds = new RecordingHandler(CLUSTER_TYPE_URL, log);
  const eds = new RecordingHandler(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, log);
  const lds = new RecordingHandler(LISTENER_TYPE_URL, log);
  const rds = new RecordingHandler(ROUTE_CONFIGURATION_TYPE_URL, log);
  return { log, cds, eds, lds, rds, all: [cds, eds, lds, rds] };
}
