// Slow start (Envoy's warm-up): a host added after the cluster started takes a growing share of its weight
// over the window: max(min_weight, (elapsed / window) ^ (1 / aggression)).
import type { SlowStartConfig } from '../config/compiled-cluster.ts';
import type { Host } from '../host/host.ts';

export function slowStartFactor(host: Host, config: SlowStartConfig | undefined, now: number): number {
  if (!config || host.addedAt === undefined) return 1;
  const elapsed = now - host.addedAt;
  if (elapsed >= config.windowMs) return 1;
  const time = Math.max(elapsed, 1) / config.windowMs;
  return Math.max(config.minWeight, Math.pow(time, 1 / config.aggression));
}
