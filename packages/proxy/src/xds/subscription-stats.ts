// Per-type xDS update stats, named as Envoy names them (`cluster_manager.cds.update_rejected` …).
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
  SECRET_TYPE_URL,
} from '@heddle/xds';
import type { Counter, Gauge, StatsSink } from '../stats/stats-sink.ts';

const PREFIXES: ReadonlyMap<string, string> = new Map([
  [CLUSTER_TYPE_URL, 'cluster_manager.cds'],
  [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, 'cluster_manager.eds'],
  [LISTENER_TYPE_URL, 'listener_manager.lds'],
  [ROUTE_CONFIGURATION_TYPE_URL, 'rds'],
  [SECRET_TYPE_URL, 'sds'],
]);

export function statPrefix(typeUrl: string): string {
  return PREFIXES.get(typeUrl) ?? `xds.${typeUrl.slice(typeUrl.lastIndexOf('.') + 1).toLowerCase()}`;
}

export class SubscriptionStats {
  readonly attempt: Counter;
  readonly success: Counter;
  readonly rejected: Counter;
  readonly failure: Counter;
  readonly initFetchTimeout: Counter;
  readonly version: Gauge;
  readonly updateTime: Gauge;

  constructor(sink: StatsSink, typeUrl: string) {
    const prefix = statPrefix(typeUrl);
    this.attempt = sink.counter(`${prefix}.update_attempt`);
    this.success = sink.counter(`${prefix}.update_success`);
    this.rejected = sink.counter(`${prefix}.update_rejected`);
    this.failure = sink.counter(`${prefix}.update_failure`);
    this.initFetchTimeout = sink.counter(`${prefix}.init_fetch_timeout`);
    this.version = sink.gauge(`${prefix}.version`);
    this.updateTime = sink.gauge(`${prefix}.update_time`);
  }
}

/** Envoy reports a hash of version_info as the `version` gauge; FNV-1a keeps it a safe integer. */
export function versionHash(version: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < version.length; index++) {
    hash ^= version.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
