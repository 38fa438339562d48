// The control plane's series, under Istio's pilot_* names and labels so existing dashboards and alerts work.
import type { Counter } from './counter.ts';
import type { Gauge } from './gauge.ts';
import type { Histogram } from './histogram.ts';
import type { MetricsRegistry } from './registry.ts';

// Istio's bucket bounds, so histogram_quantile over mixed fleets stays comparable.
const PUSH_BUCKETS = [0.01, 0.1, 1, 3, 5, 10, 20, 30];
const CONVERGENCE_BUCKETS = [0.1, 0.5, 1, 3, 5, 10, 20, 30];
const INIT_BUCKETS = [0.01, 0.1, 0.5, 1, 3, 5];
const SIZE_BUCKETS = [1, 10_000, 1_000_000, 4_000_000, 10_000_000, 40_000_000];

export interface PilotMetrics {
  readonly info: Gauge;
  /** Connected proxies by proxy version. */
  readonly xdsClients: Gauge;
  readonly services: Gauge;
  readonly virtualServices: Gauge;
  /** Responses sent, by type (`cds`, `eds`, `lds`, `rds`, `sds`) and `<type>_senderr` for failed sends. */
  readonly pushes: Counter;
  readonly pushTime: Histogram;
  readonly sendTime: Histogram;
  readonly convergenceTime: Histogram;
  readonly queueTime: Histogram;
  readonly debounceTime: Histogram;
  readonly pushContextInitTime: Histogram;
  readonly pushTriggers: Counter;
  readonly inboundUpdates: Counter;
  readonly configEvents: Counter;
  readonly totalRejects: Counter;
  readonly cdsReject: Gauge;
  readonly edsReject: Gauge;
  readonly ldsReject: Gauge;
  readonly rdsReject: Gauge;
  readonly internalErrors: Counter;
  readonly writeTimeouts: Counter;
  readonly expiredNonce: Counter;
  readonly configSize: Histogram;
  /** Pushes that failed to translate or to send (the name older Istio alerts use). */
  readonly pushErrors: Counter;
}

export function createPilotMetrics(registry: MetricsRegistry, version: string): PilotMetrics {
  const metrics: PilotMetrics = {
    info: registry.gauge('pilot_info', 'Pilot version and build information.', ['version']),
    xdsClients: registry.gauge('pilot_xds', 'Number of endpoints connected to this pilot using XDS.', [
      'version',
    ]),
    services: registry.gauge('pilot_services', 'Total services known to pilot.'),
    virtualServices: registry.gauge('pilot_virt_services', 'Total virtual services known to pilot.'),
    pushes: registry.counter('pilot_xds_pushes', 'Pilot build and send errors for lds, rds, cds and eds.', [
      'type',
    ]),
    pushTime: registry.histogram(
      'pilot_xds_push_time',
      'Total time in seconds Pilot takes to push lds, rds, cds and eds.',
      PUSH_BUCKETS,
      ['type'],
    ),
    sendTime: registry.histogram(
      'pilot_xds_send_time',
      'Total time in seconds Pilot takes to send generated configuration.',
      PUSH_BUCKETS,
    ),
    convergenceTime: registry.histogram(
      'pilot_proxy_convergence_time',
      'Delay in seconds between config change and a proxy receiving all required configuration.',
      CONVERGENCE_BUCKETS,
    ),
    queueTime: registry.histogram(
      'pilot_proxy_queue_time',
      'Time in seconds, a proxy is in the push queue before being dequeued.',
      CONVERGENCE_BUCKETS,
    ),
    debounceTime: registry.histogram(
      'pilot_debounce_time',
      'Delay in seconds between the first config enters debouncing and the merged push request is pushed into the push queue.',
      PUSH_BUCKETS,
    ),
    pushContextInitTime: registry.histogram(
      'pilot_pushcontext_init_seconds',
      'Total time in seconds Pilot takes to init pushContext.',
      INIT_BUCKETS,
    ),
    pushTriggers: registry.counter(
      'pilot_push_triggers',
      'Total number of times a push was triggered, labeled by reason for the push.',
      ['type'],
    ),
    inboundUpdates: registry.counter('pilot_inbound_updates', 'Total number of updates received by pilot.', [
      'type',
    ]),
    // Istio's name; Heddle counts the events of whichever store backs it (sqlite, etcd or Kubernetes).
    configEvents: registry.counter('pilot_k8s_cfg_events', 'Events from k8s config.', ['type', 'event']),
    totalRejects: registry.counter(
      'pilot_total_xds_rejects',
      'Total number of XDS responses from pilot rejected by proxy.',
      ['type'],
    ),
    cdsReject: registry.gauge('pilot_xds_cds_reject', 'Pilot rejected CDS configs.', ['node', 'err']),
    edsReject: registry.gauge('pilot_xds_eds_reject', 'Pilot rejected EDS.', ['node', 'err']),
    ldsReject: registry.gauge('pilot_xds_lds_reject', 'Pilot rejected LDS.', ['node', 'err']),
    rdsReject: registry.gauge('pilot_xds_rds_reject', 'Pilot rejected RDS.', ['node', 'err']),
    internalErrors: registry.counter(
      'pilot_total_xds_internal_errors',
      'Total number of internal XDS errors in pilot.',
      ['type'],
    ),
    writeTimeouts: registry.counter('pilot_xds_write_timeout', 'Pilot XDS response write timeouts.'),
    expiredNonce: registry.counter(
      'pilot_xds_expired_nonce',
      'Total number of XDS requests with an expired nonce.',
      ['type'],
    ),
    configSize: registry.histogram(
      'pilot_xds_config_size_bytes',
      'Distribution of configuration sizes pushed to clients',
      SIZE_BUCKETS,
      ['type'],
    ),
    pushErrors: registry.counter(
      'pilot_xds_push_errors',
      'Number of pushes that failed to translate or to send.',
      ['type'],
    ),
  };
  metrics.info.set({ version }, 1);
  // Zero-valued series from the start, so rate() and alerts see the metric before the first error.
  for (const type of ['translate', 'send']) metrics.pushErrors.inc({ type }, 0);
  metrics.writeTimeouts.inc({}, 0);
  return metrics;
}
