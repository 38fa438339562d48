// One push: rebuild the snapshot and index once, translate for every connected proxy, and send each proxy only
// the types whose content changed for it.
import type { PilotMetrics } from '../metrics/pilot-metrics.ts';
import type { Logger } from '../server/logger.ts';
import type { XdsStream } from '../xds/xds-stream.ts';
import type { Clock } from './clock.ts';
import type { MeshState } from './mesh-state.ts';
import type { ProxyTranslator } from './proxy-translator.ts';
import type { PushBatch } from './push-queue.ts';

export interface PushCycleOptions {
  readonly state: MeshState;
  readonly streams: () => readonly XdsStream[];
  readonly translate: ProxyTranslator;
  readonly metrics: PilotMetrics;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface PushSummary {
  readonly proxies: number;
  /** Proxies that were sent at least one response. */
  readonly pushed: number;
  readonly responses: number;
  readonly failed: number;
}

export function createPushCycle(options: PushCycleOptions): (batch: PushBatch) => Promise<PushSummary> {
  const { metrics, clock } = options;
  return async (batch) => {
    const started = clock.now();
    metrics.debounceTime.observe({}, (started - batch.firstAt) / 1000);
    for (const [reason, count] of batch.reasons) metrics.pushTriggers.inc({ type: reason }, count);
    const state = await options.state.rebuild();
    metrics.pushContextInitTime.observe({}, (clock.now() - started) / 1000);
    metrics.services.set({}, state.snapshot.services.length);
    metrics.virtualServices.set({}, state.snapshot.virtualServices.length);
    let pushed = 0;
    let responses = 0;
    let failed = 0;
    const streams = options.streams();
    for (const stream of streams) {
      metrics.queueTime.observe({}, (clock.now() - started) / 1000);
      const resources = options.translate(stream.connection.node);
      if (!resources) {
        failed++;
        continue;
      }
      const sent = stream.push(resources, { changedAt: batch.firstAt });
      responses += sent;
      if (sent > 0) pushed++;
    }
    options.logger.debug('push done', {
      revision: state.snapshot.revision,
      proxies: streams.length,
      pushed,
      responses,
      failed,
    });
    return { proxies: streams.length, pushed, responses, failed };
  };
}
