// Envoy's load-balancer defaults and the shared pieces of lb_policy and load_balancing_policy compilation.
import type { RuntimeDouble } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import type { Percent } from '@heddle/xds/gen/envoy/type/v3/percent_pb.ts';
import type { Duration } from '@bufbuild/protobuf/wkt';
import type { LbConfig, SlowStartConfig } from './compiled-cluster.ts';
import { ClusterConfigError } from './config-error.ts';
import { durationMs } from './duration.ts';

export const DEFAULT_MIN_RING_SIZE = 1024;
export const MAX_RING_SIZE = 8 * 1024 * 1024;
export const DEFAULT_MAGLEV_TABLE_SIZE = 65537;
export const MAX_MAGLEV_TABLE_SIZE = 5000011;
export const DEFAULT_PANIC_THRESHOLD = 50;

export const DEFAULT_LB: LbConfig = {
  policy: 'ROUND_ROBIN',
  choiceCount: 2,
  activeRequestBias: 1,
  fullScan: false,
  minRingSize: DEFAULT_MIN_RING_SIZE,
  maxRingSize: MAX_RING_SIZE,
  maglevTableSize: DEFAULT_MAGLEV_TABLE_SIZE,
  useHostnameForHashing: false,
  localityWeighted: false,
  healthyPanicThreshold: DEFAULT_PANIC_THRESHOLD,
};

export function ringSizes(
  min: bigint | undefined,
  max: bigint | undefined,
  at: string,
): Pick<LbConfig, 'minRingSize' | 'maxRingSize'> {
  const minRingSize = min !== undefined ? Number(min) : DEFAULT_MIN_RING_SIZE;
  const maxRingSize = max !== undefined ? Number(max) : MAX_RING_SIZE;
  if (maxRingSize > MAX_RING_SIZE)
    throw new ClusterConfigError(`${at}.maximum_ring_size: at most ${MAX_RING_SIZE}`);
  if (minRingSize < 1 || minRingSize > maxRingSize) {
    throw new ClusterConfigError(
      `${at}.minimum_ring_size: must be between 1 and maximum_ring_size (${maxRingSize})`,
    );
  }
  return { minRingSize, maxRingSize };
}

export function maglevTableSize(size: bigint | undefined, at: string): number {
  const tableSize = size !== undefined ? Number(size) : DEFAULT_MAGLEV_TABLE_SIZE;
  if (tableSize > MAX_MAGLEV_TABLE_SIZE || !isPrime(tableSize)) {
    throw new ClusterConfigError(
      `${at}.table_size: must be a prime number no larger than ${MAX_MAGLEV_TABLE_SIZE}`,
    );
  }
  return tableSize;
}

function isPrime(n: number): boolean {
  if (n < 2 || !Number.isInteger(n)) return false;
  for (let i = 2; i * i <= n; i++) if (n % i === 0) return false;
  return true;
}

export function runtimeDouble(value: RuntimeDouble | undefined, fallback: number): number {
  return value ? value.defaultValue : fallback;
}

interface SlowStartFields {
  readonly slowStartWindow?: Duration | undefined;
  readonly aggression?: RuntimeDouble | undefined;
  readonly minWeightPercent?: Percent | undefined;
}

export function slowStart(config: SlowStartFields | undefined, at: string): { slowStart?: SlowStartConfig } {
  if (!config) return {};
  const windowMs = durationMs(config.slowStartWindow, 0);
  const aggression = runtimeDouble(config.aggression, 1);
  if (aggression <= 0) throw new ClusterConfigError(`${at}.aggression: must be greater than 0`);
  if (windowMs === 0) return {};
  return { slowStart: { windowMs, aggression, minWeight: (config.minWeightPercent?.value ?? 10) / 100 } };
}
