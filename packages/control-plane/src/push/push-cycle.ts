// One push: rebuild the snapshot and index once, work out which connected proxies the changes can affect,
// translate those one per event-loop turn, and send each only the types whose content changed for it.
import type { PilotMetrics } from '../metrics/pilot-metrics.ts';
import type { Logger } from '../server/logger.ts';
import type { XdsStream } from '../xds/xds-stream.ts';
import { affectedProxies, type AffectedTest } from './affected-proxies.ts';
import type { Clock } from './clock.ts';
import type { MeshState, MeshStateView } from './mesh-state.ts';
import type { ProxyTranslator } from './proxy-translator.ts';
import type { PushBatch } from './push-queue.ts';
import type { PushMetrics } from './push-metrics.ts';
import { snapshotChanges } from './snapshot-changes.ts';
import { yieldToIo as defaultYield, type YieldToIo } from './yield-to-io.ts';

/** `affected`: translate the proxies the changes can reach; `all`: every connected proxy, every push. */
export type PushScope = 'affected' | 'all';

export interface PushCycleOptions {
  readonly state: MeshState;
  readonly streams: () => readonly XdsStream[];
  readonly translate: ProxyTranslator;
  readonly metrics: PilotMetrics;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly pushMetrics?: PushMetrics;
  /** `affected` by default. */
  readonly scope?: PushScope;
  /** Between two proxies; tests may slow it down. */
  readonly yieldToIo?: YieldToIo;
}

export interface PushSummary {
  readonly proxies: number;
  /** Proxies translated by this push. */
  readonly translated: number;
  /** Proxies left alone because the changes could not affect them. */
  readonly skipped: number;
  /** Proxies that were sent at least one response. */
  readonly pushed: number;
  readonly responses: number;
  readonly failed: number;
  /** Why every proxy was translated, when it was. */
  readonly full?: string;
}

/** Trigger reasons whose data the snapshot diff sees; any other reason makes the push translate everyone. */
const DIFFABLE_REASONS = new Set(['config', 'service']);

/** Create once and call per batch: it remembers which proxies' last translation failed. */
export function createPushCycle(options: PushCycleOptions): (batch: PushBatch) => Promise<PushSummary> {
  const { metrics, clock } = options;
  const yieldToIo = options.yieldToIo ?? defaultYield;
  // Their resources are older than the snapshot everyone else was translated from: never skipped.
  const behind = new WeakSet<XdsStream>();
  // The snapshot the last push left every proxy on; a rebuild elsewhere in between makes the diff meaningless.
  let pushedFrom = options.state.current();
  return async (batch) => {
    const started = clock.now();
    metrics.debounceTime.observe({}, (started - batch.firstAt) / 1000);
    for (const [reason, count] of batch.reasons) metrics.pushTriggers.inc({ type: reason }, count);
    const current = options.state.current();
    const previous = current === pushedFrom ? current : undefined;
    const state = await options.state.rebuild();
    pushedFrom = state;
    const { test: affected, full } = selectAffected(options.scope ?? 'affected', batch, previous, state);
    metrics.pushContextInitTime.observe({}, (clock.now() - started) / 1000);
    metrics.services.set({}, state.snapshot.services.length);
    metrics.virtualServices.set({}, state.snapshot.virtualServices.length);
    options.pushMetrics?.pushScopes.inc({ scope: full ? 'full' : 'affected', reason: full ?? '' });
    let translated = 0;
    let skipped = 0;
    let pushed = 0;
    let responses = 0;
    let failed = 0;
    const streams = options.streams();
    for (const stream of streams) {
      if (stream.closed) continue;
      const { node, resources } = stream.connection;
      // A stream still waiting for its first translation gets it here, from this snapshot.
      if (resources !== undefined && !behind.has(stream) && !affected(node)) {
        skipped++;
        continue;
      }
      metrics.queueTime.observe({}, (clock.now() - started) / 1000);
      translated++;
      const output = options.translate(node);
      if (!output) {
        failed++;
        behind.add(stream);
      } else {
        behind.delete(stream);
        const sent = stream.push(output, { changedAt: batch.firstAt });
        responses += sent;
        if (sent > 0) pushed++;
      }
      // Reads, ACKs, keepalives and the HTTP API run between two proxies.
      await yieldToIo();
    }
    options.pushMetrics?.proxiesTranslated.inc({}, translated);
    options.pushMetrics?.proxiesSkipped.inc({}, skipped);
    options.logger.debug('push done', {
      revision: state.snapshot.revision,
      proxies: streams.length,
      translated,
      skipped,
      pushed,
      responses,
      failed,
      ...(full ? { full } : {}),
    });
    return {
      proxies: streams.length,
      translated,
      skipped,
      pushed,
      responses,
      failed,
      ...(full ? { full } : {}),
    };
  };
}

function selectAffected(
  scope: PushScope,
  batch: PushBatch,
  previous: MeshStateView | undefined,
  next: MeshStateView,
): { test: AffectedTest; full?: string } {
  const everyone = (full: string) => ({ test: () => true, full });
  if (scope === 'all') return everyone('scope all');
  if (!previous) return everyone('no snapshot every proxy was translated from');
  const unknown = [...batch.reasons.keys()].find((reason) => !DIFFABLE_REASONS.has(reason));
  if (unknown !== undefined) return everyone(`trigger ${unknown}`);
  const changes = snapshotChanges(previous.snapshot, next.snapshot);
  if (changes.everything !== undefined) return everyone(changes.everything);
  return { test: affectedProxies(changes, next.index) };
}
