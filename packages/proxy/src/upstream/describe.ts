// What the admin `/clusters` page shows of a cluster and its hosts: address, health flags as Envoy prints
// them, weight, locality, request/connection counts and outlier ejection state.
import type { CircuitBreakerConfig, DiscoveryKind, LbPolicyName } from './config/compiled-cluster.ts';
import type { EdsHealth } from './config/endpoint-spec.ts';
import type { Host } from './host/host.ts';

export interface HostDescription {
  /** `ip:port` or the unix socket path. */
  readonly address: string;
  readonly hostname: string;
  readonly priority: number;
  readonly locality: { readonly region: string; readonly zone: string; readonly subZone: string };
  readonly weight: number;
  readonly health: {
    readonly healthy: boolean;
    readonly failedOutlierCheck: boolean;
    /** EDS says UNHEALTHY, DRAINING or TIMEOUT. */
    readonly edsUnhealthy: boolean;
    readonly edsStatus: EdsHealth;
  };
  /** Envoy's `health_flags` text: `healthy`, or e.g. `/failed_outlier_check/failed_eds_health`. */
  readonly healthFlags: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly rqActive: number;
  readonly rqTotal: number;
  readonly rqError: number;
  readonly cxActive: number;
  readonly cxTotal: number;
  readonly outlier: {
    readonly ejected: boolean;
    /** The ejection multiplier. */
    readonly ejections: number;
    /** Clock time of the current ejection, when ejected. */
    readonly ejectedAt?: number;
    readonly consecutive5xx: number;
    readonly consecutiveGatewayFailure: number;
    readonly consecutiveLocalOriginFailure: number;
  };
}

export interface ClusterDescription {
  readonly name: string;
  readonly type: DiscoveryKind;
  readonly lbPolicy: LbPolicyName;
  readonly circuitBreakers: CircuitBreakerConfig;
  readonly outlierDetection: boolean;
  readonly hosts: readonly HostDescription[];
}

export function describeHost(host: Host): HostDescription {
  const [region = '', zone = '', subZone = ''] = host.locality.split('/');
  const o = host.outlier;
  const edsUnhealthy =
    host.edsHealth === 'UNHEALTHY' || host.edsHealth === 'DRAINING' || host.edsHealth === 'TIMEOUT';
  let flags = '';
  if (o.ejected) flags += '/failed_outlier_check';
  if (edsUnhealthy) flags += '/failed_eds_health';
  if (host.edsHealth === 'DEGRADED') flags += '/degraded_eds_health';
  return {
    address: host.id,
    hostname: host.hostname,
    priority: host.priority,
    locality: { region, zone, subZone },
    weight: host.weight,
    health: {
      healthy: host.available,
      failedOutlierCheck: o.ejected,
      edsUnhealthy,
      edsStatus: host.edsHealth,
    },
    healthFlags: flags === '' ? 'healthy' : flags,
    metadata: host.metadata,
    rqActive: host.rqActive,
    rqTotal: host.rqTotal,
    rqError: host.rqError,
    cxActive: host.cxActive,
    cxTotal: host.cxTotal,
    outlier: {
      ejected: o.ejected,
      ejections: o.ejections,
      ...(o.ejected ? { ejectedAt: o.ejectedAt } : {}),
      consecutive5xx: o.consecutive5xx,
      consecutiveGatewayFailure: o.consecutiveGatewayFailure,
      consecutiveLocalOriginFailure: o.consecutiveLocalOriginFailure,
    },
  };
}
