// The proxy composed: cluster manager, route tables, HTTP connection managers and listener manager, fed by
// the xDS client and run with the admin API, health port and drain lifecycle of the runtime.
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import type { ClusterHostInfo, ClusterInfo } from './admin/admin-sources.ts';
import { runProxy, type Proxy, type ProxyRuntimeOptions } from './config/proxy-runtime.ts';
import { createHttpConnectionManager } from './http/connection-manager.ts';
import { RouteTables } from './http/route-tables.ts';
import { ProxyObservability } from './telemetry/tracing/proxy-observability.ts';
import { istioTcpSessionHooks } from './telemetry/metrics/tcp-metrics.ts';
import { ListenerManager } from './listener/listener-manager.ts';
import { ClusterManager } from './upstream/cluster-manager.ts';
import type { ClusterDescription, HostDescription } from './upstream/describe.ts';
import type { Bootstrap } from './xds/bootstrap.ts';
import { listenerBindOverride } from './xds/bootstrap-listener-bind.ts';

export interface StartProxyOptions extends ProxyRuntimeOptions {
  /** Where a listener binds instead of its configured address (explicit capture, tests). */
  readonly bindAddressOverride?: (listener: Listener) => { address: string; port: number } | undefined;
}

export function startProxy(bootstrap: Bootstrap, options: StartProxyOptions = {}): Promise<Proxy> {
  const bindAddressOverride = options.bindAddressOverride ?? bootstrapBindOverride(bootstrap);
  return runProxy(
    bootstrap,
    ({ stats, secrets, logs, drainTimeoutMs }) => {
      const upstreamLog = logs.logger('upstream');
      const clusters = new ClusterManager({ stats, secrets, log: (message) => upstreamLog.warn(message) });
      const routes = new RouteTables();
      const observability = new ProxyObservability({
        clusters,
        stats,
        identity: {
          nodeId: bootstrap.node.id,
          serviceName: bootstrap.node.cluster,
          ...(bootstrap.node.locality?.zone ? { zone: bootstrap.node.locality.zone } : {}),
        },
      });
      const listeners = new ListenerManager({
        clusters,
        stats,
        secrets,
        drainTimeoutMs,
        createHttp: (hcm) => createHttpConnectionManager(hcm, { routes, clusters, stats, observability }),
        tcpSessions: istioTcpSessionHooks,
        accessLogSinks: observability.sinks,
        log: (message) => logs.logger('config').warn(message),
        ...(bindAddressOverride ? { bindAddressOverride } : {}),
      });
      return {
        handlers: [clusters.clusterHandler, clusters.endpointHandler, listeners.handler, routes.handler],
        describeClusters: () => clusters.describe().map(clusterInfo),
        describeListeners: () => listeners.describe(),
        drain: () => listeners.drain(),
        whenBound: () => listeners.ready(),
        close: async () => {
          await listeners.close();
          // Buffered access-log lines and queued spans go out before the cluster manager closes.
          await observability.close();
          clusters.close();
        },
      };
    },
    options,
  );
}

/** The bootstrap's `listenerAddress` / `listenerPortMap` / `privilegedPortOffset`, as a bind override. */
function bootstrapBindOverride(
  bootstrap: Bootstrap,
): ((listener: Listener) => { address: string; port: number } | undefined) | undefined {
  const bind = bootstrap.listenerBind;
  if (!bind) return undefined;
  const override = listenerBindOverride(bind);
  return (listener) => {
    const configured = listener.address?.address;
    if (configured?.case !== 'socketAddress') return undefined;
    const port = configured.value.portSpecifier;
    return override({
      address: configured.value.address,
      port: port.case === 'portValue' ? port.value : 0,
    });
  };
}

function clusterInfo(cluster: ClusterDescription): ClusterInfo {
  const breakers = cluster.circuitBreakers;
  return {
    name: cluster.name,
    addedViaApi: true,
    circuitBreakers: {
      max_connections: breakers.maxConnections,
      max_pending_requests: breakers.maxPendingRequests,
      max_requests: breakers.maxRequests,
      max_retries: breakers.maxRetries,
    },
    hosts: cluster.hosts.map(hostInfo),
  };
}

function hostInfo(host: HostDescription): ClusterHostInfo {
  const colon = host.address.lastIndexOf(':');
  const ip = colon < 0 ? host.address : host.address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return {
    address: ip,
    port: colon < 0 ? 0 : Number(host.address.slice(colon + 1)),
    hostname: host.hostname,
    healthFlags: host.healthFlags === 'healthy' ? [] : host.healthFlags.split(/(?=\/)/),
    weight: host.weight,
    priority: host.priority,
    locality: host.locality,
    stats: {
      cx_active: host.cxActive,
      cx_total: host.cxTotal,
      rq_active: host.rqActive,
      rq_error: host.rqError,
      rq_total: host.rqTotal,
    },
  };
}
