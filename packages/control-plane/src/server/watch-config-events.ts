// Turns store commits and registry changes into push triggers and pilot_k8s_cfg_events / pilot_inbound_updates.
import type { PilotMetrics } from '../metrics/pilot-metrics.ts';
import type { ServiceRegistry } from '../registry/registry.ts';
import type { ConfigStore } from '../store/config-store.ts';

/** Returns the function that stops watching. */
export function watchConfigEvents(
  store: ConfigStore,
  registry: ServiceRegistry,
  metrics: PilotMetrics,
  trigger: (reason: 'config' | 'service') => void,
): () => void {
  const stopStore = store.watch((events) => {
    for (const event of events) {
      // Store events do not say whether a put created its resource, so every put counts as an update.
      metrics.configEvents.inc({
        type: event.resource.kind,
        event: event.type === 'delete' ? 'delete' : 'update',
      });
      metrics.inboundUpdates.inc({ type: 'config' });
    }
    if (events.length > 0) trigger('config');
  });
  const stopRegistry = registry.onChange(() => {
    metrics.inboundUpdates.inc({ type: 'svc' });
    trigger('service');
  });
  return () => {
    stopStore();
    stopRegistry();
  };
}
