// Envoy's `server.*` stats (live, state, uptime, memory, concurrency), refreshed whenever stats are read.
import type { StatsStore } from './stats-store.ts';

/** Envoy's `server.state` values. */
export const SERVER_STATE_CODES = { LIVE: 0, DRAINING: 1, PRE_INITIALIZING: 2, INITIALIZING: 3 } as const;
export type ServerStateName = keyof typeof SERVER_STATE_CODES;

export interface ServerStatsSource {
  readonly startedAt: number;
  readonly concurrency: number;
  state(): ServerStateName;
  now(): number;
  readonly memory?: () => { readonly heapUsed: number; readonly heapTotal: number };
}

export function registerServerStats(store: StatsStore, source: ServerStatsSource): () => void {
  const live = store.gauge('server.live');
  const state = store.gauge('server.state');
  const uptime = store.gauge('server.uptime');
  const allocated = store.gauge('server.memory_allocated');
  const heapSize = store.gauge('server.memory_heap_size');
  const concurrency = store.gauge('server.concurrency');
  const readMemory = source.memory ?? (() => process.memoryUsage());
  return store.addCollector(() => {
    const current = source.state();
    live.set(current === 'LIVE' ? 1 : 0);
    state.set(SERVER_STATE_CODES[current]);
    uptime.set(Math.floor((source.now() - source.startedAt) / 1000));
    const memory = readMemory();
    allocated.set(memory.heapUsed);
    heapSize.set(memory.heapTotal);
    concurrency.set(source.concurrency);
  });
}
