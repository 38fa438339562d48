// Stand-in data-plane parts for admin and lifecycle tests: recording handlers, fixed descriptions, and a
// drain whose duration the test controls.
import type { ClusterInfo, ListenerInfo } from '../../../src/admin/admin-sources.ts';
import type { ProxyParts } from '../../../src/config/proxy-runtime.ts';
import { recordingHandlers, type RecordingHandlers } from '../../xds/support/recording-handler.ts';

export interface FakeParts extends ProxyParts {
  readonly recording: RecordingHandlers;
  readonly calls: string[];
  /** Resolves the pending drain (a drain waits for this unless `drainMs` is set). */
  finishDrain(): void;
}

export const FAKE_CLUSTERS: readonly ClusterInfo[] = [
  {
    name: 'outbound|9080||reviews.default.svc.cluster.local',
    edsServiceName: 'outbound|9080||reviews.default.svc.cluster.local',
    circuitBreakers: { max_connections: 100 },
    hosts: [
      {
        address: '10.0.0.7',
        port: 9080,
        healthFlags: ['/failed_outlier_check'],
        weight: 2,
        locality: { region: 'eu', zone: 'eu-1' },
        stats: { cx_active: 1, rq_total: 12, rq_error: 3 },
      },
      { address: 'fd00::8', port: 9080 },
    ],
  },
];

export const FAKE_LISTENERS: readonly ListenerInfo[] = [
  {
    name: 'virtualOutbound',
    address: { host: '0.0.0.0', port: 15001 },
    boundAddress: { host: '127.0.0.1', port: 41001 },
  },
  { name: '0.0.0.0_9080', address: { host: '0.0.0.0', port: 9080 } },
];

export function fakeParts(options: { readonly drainMs?: number } = {}): FakeParts {
  const recording = recordingHandlers();
  const calls: string[] = [];
  let finish: () => void = () => {};
  return {
    recording,
    calls,
    handlers: recording.all,
    describeClusters: () => FAKE_CLUSTERS,
    describeListeners: () => FAKE_LISTENERS,
    drain: () => {
      calls.push('drain');
      return new Promise<void>((resolve) => {
        finish = resolve;
        if (options.drainMs !== undefined) setTimeout(resolve, options.drainMs);
      });
    },
    close: () => {
      calls.push('close');
      return Promise.resolve();
    },
    finishDrain: () => finish(),
  };
}
