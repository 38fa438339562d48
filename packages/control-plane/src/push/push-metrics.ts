// The push scheduler's own series beside Istio's pilot_*: how many proxies each push translated and how many it
// skipped because the changes could not affect them.
import type { Counter } from '../metrics/counter.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';

export interface PushMetrics {
  readonly proxiesTranslated: Counter;
  readonly proxiesSkipped: Counter;
  /** Pushes by scope: `affected` (dependency analysis) or `full` (every proxy, with the reason). */
  readonly pushScopes: Counter;
}

export function createPushMetrics(registry: MetricsRegistry): PushMetrics {
  const metrics: PushMetrics = {
    proxiesTranslated: registry.counter(
      'pilot_push_proxies_translated',
      'Proxies translated by config pushes (first translations of new connections excluded).',
    ),
    proxiesSkipped: registry.counter(
      'pilot_push_proxies_skipped',
      'Proxies a config push did not translate because none of the changes could affect them.',
    ),
    pushScopes: registry.counter(
      'pilot_push_scope',
      'Config pushes by scope: affected proxies only, or every proxy (full) with the reason.',
      ['scope', 'reason'],
    ),
  };
  metrics.proxiesSkipped.inc({}, 0);
  metrics.proxiesTranslated.inc({}, 0);
  return metrics;
}
