// The load balancer's view of a cluster's hosts, rebuilt on every membership or health change: Envoy's
// priority load (each priority's availability × overprovisioning spills load to the next) and per-priority
// panic below healthy_panic_threshold (route to all of that priority's hosts).
import type { LbConfig } from '../config/compiled-cluster.ts';
import type { Host } from '../host/host.ts';
import type { HostPicker, PickerEnv } from './host-picker.ts';
import { levelPicker } from './level-picker.ts';
import type { Hash64 } from './xxhash64.ts';

/** Re-picks allowed when a retry excludes hosts already tried (Istio sets Envoy's to 5). */
const MAX_EXCLUDE_ATTEMPTS = 5;

export interface LbState {
  readonly total: number;
  /** Whether the last choose() picked from a priority in panic. */
  readonly panicked: boolean;
  choose(hash: Hash64 | undefined, exclude: ReadonlySet<string> | undefined): Host | undefined;
}

interface Level {
  readonly picker: HostPicker | undefined;
  readonly panic: boolean;
  /** Upper bound (exclusive) of this level's share of 0–100. */
  readonly upTo: number;
}

export function buildLbState(
  hosts: readonly Host[],
  config: LbConfig,
  overprovisioning: number,
  env: PickerEnv,
): LbState {
  const byPriority: Host[][] = [];
  for (const host of hosts) (byPriority[host.priority] ??= []).push(host);
  return new PriorityLoadBalancer(
    hosts.length,
    buildLevels(byPriority, config, overprovisioning, env),
    env.random,
  );
}

class PriorityLoadBalancer implements LbState {
  readonly total: number;
  panicked = false;
  readonly #levels: readonly Level[];
  readonly #random: () => number;

  constructor(total: number, levels: readonly Level[], random: () => number) {
    this.total = total;
    this.#levels = levels;
    this.#random = random;
  }

  choose(hash: Hash64 | undefined, exclude: ReadonlySet<string> | undefined): Host | undefined {
    this.panicked = false;
    const levels = this.#levels;
    if (levels.length === 0) return undefined;
    let level = levels[0] as Level;
    if (levels.length > 1) {
      // Consistent hashing picks the priority from the hash too, so a key stays put.
      const r = hash !== undefined ? hash.mod(100) : this.#random() * 100;
      level = levels[levels.length - 1] as Level;
      for (const candidate of levels) {
        if (r < candidate.upTo) {
          level = candidate;
          break;
        }
      }
    }
    const picker = level.picker;
    if (!picker) return undefined;
    this.panicked = level.panic;
    let host = picker.pick(hash, 0);
    if (exclude && exclude.size > 0) {
      for (let attempt = 1; attempt <= MAX_EXCLUDE_ATTEMPTS && host && exclude.has(host.id); attempt++) {
        host = picker.pick(hash, attempt);
      }
    }
    return host;
  }
}

function buildLevels(
  byPriority: Host[][],
  config: LbConfig,
  overprovisioning: number,
  env: PickerEnv,
): Level[] {
  const health: number[] = [];
  const healthyPercent: number[] = [];
  let sum = 0;
  for (let p = 0; p < byPriority.length; p++) {
    const level = byPriority[p] ?? [];
    const up = level.filter((h) => h.available).length;
    health[p] = level.length === 0 ? 0 : Math.min(100, (overprovisioning * up) / level.length);
    healthyPercent[p] = level.length === 0 ? 0 : (100 * up) / level.length;
    sum += health[p] as number;
  }
  const normalizedTotal = Math.min(100, sum);
  const threshold = config.healthyPanicThreshold;
  if (normalizedTotal === 0) {
    // Nothing available anywhere: panic routes everything to the first priority with hosts, or fails it.
    const first = byPriority.findIndex((level) => level !== undefined && level.length > 0);
    if (threshold === 0 || first < 0) return [];
    const picker = levelPicker(byPriority[first] as Host[], true, config, overprovisioning, env);
    return [{ picker, panic: true, upTo: 100 }];
  }
  const levels: Level[] = [];
  let cumulative = 0;
  for (let p = 0; p < byPriority.length; p++) {
    const share = Math.min(100 - cumulative, ((health[p] as number) * 100) / normalizedTotal);
    if (share <= 0) continue;
    cumulative += share;
    // Panic only when the priorities together cannot carry the load (normalized availability < 100%).
    const panic = threshold > 0 && normalizedTotal < 100 && (healthyPercent[p] as number) < threshold;
    const picker = levelPicker(byPriority[p] as Host[], panic, config, overprovisioning, env);
    levels.push({ picker, panic, upTo: cumulative });
  }
  return levels;
}
