// The listener manager's own stats, named as Envoy names them (`listener_manager.listener_create_failure` …).
import type { Counter, Gauge, StatsSink } from '../stats/stats-sink.ts';

export interface ListenerManagerStats {
  readonly listenerAdded: Counter;
  readonly listenerModified: Counter;
  readonly listenerRemoved: Counter;
  /** A changed listener that kept its sockets and swapped its filter chains. */
  readonly listenerInPlaceUpdated: Counter;
  /** Listener sockets bound. */
  readonly listenerCreateSuccess: Counter;
  /** Listener sockets that could not be bound (the update is rejected, or reported when bound at commit). */
  readonly listenerCreateFailure: Counter;
  readonly totalListenersActive: Gauge;
  readonly totalListenersDraining: Gauge;
}

export function listenerManagerStats(sink: StatsSink): ListenerManagerStats {
  const c = (name: string): Counter => sink.counter(`listener_manager.${name}`);
  return {
    listenerAdded: c('listener_added'),
    listenerModified: c('listener_modified'),
    listenerRemoved: c('listener_removed'),
    listenerInPlaceUpdated: c('listener_in_place_updated'),
    listenerCreateSuccess: c('listener_create_success'),
    listenerCreateFailure: c('listener_create_failure'),
    totalListenersActive: sink.gauge('listener_manager.total_listeners_active'),
    totalListenersDraining: sink.gauge('listener_manager.total_listeners_draining'),
  };
}
