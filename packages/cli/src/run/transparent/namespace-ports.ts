// Ports inside a transparent workload's namespace. The namespace is the workload's alone, so the sidecar
// takes Istio's fixed ports and the app listens on its service port itself: iptables sends a connection
// for <address>:N to the sidecar's 15006, which passes it on to 127.0.0.1:N. A mesh port and its app port
// are therefore one port; 0 picks one from 8080 up.
import { UsageError } from '../../usage-error.ts';
import type { PortSpec } from '../parse-port-spec.ts';
import { HEALTH_PORT, INBOUND_CAPTURE_PORT, OUTBOUND_CAPTURE_PORT } from './capture-rules.ts';

/** The sidecar's admin, on the namespace's loopback only. */
export const ADMIN_PORT = 15000;
/** The merged Prometheus endpoint (Istio's 15020), on the namespace's address: the control plane scrapes it. */
export const METRICS_MERGE_PORT = 15020;
const SIDECAR_PORTS = new Set([
  ADMIN_PORT,
  OUTBOUND_CAPTURE_PORT,
  INBOUND_CAPTURE_PORT,
  METRICS_MERGE_PORT,
  HEALTH_PORT,
]);
const FIRST_CHOSEN_PORT = 8080;

export interface NamespacePorts {
  /** Per spec, in order: the port the app listens on and the workload is registered with. */
  readonly servicePorts: readonly number[];
  readonly adminPort: number;
  readonly healthPort: number;
  readonly metricsMergePort: number;
}

export function namespacePorts(specs: readonly PortSpec[]): NamespacePorts {
  const taken = new Set<number>();
  for (const spec of specs) {
    if (spec.appPort !== 0 && spec.appPort !== spec.meshPort)
      throw new UsageError(
        `--port ${spec.name}=${spec.meshPort}:${spec.appPort}: with --capture transparent the app listens on the service port itself`,
        'Give the port once, e.g. --port http=8080.',
      );
    const port = spec.meshPort || spec.appPort;
    if (SIDECAR_PORTS.has(port))
      throw new UsageError(
        `port ${port} is the sidecar's own in a transparent workload`,
        'Ports 15000, 15001, 15006, 15020 and 15021 are the sidecar’s; pick another.',
      );
    if (port !== 0 && taken.has(port))
      throw new UsageError(`port ${port} is given twice`, 'Give each port once.');
    if (port !== 0) taken.add(port);
  }
  let next = FIRST_CHOSEN_PORT;
  const servicePorts = specs.map((spec) => {
    const port = spec.meshPort || spec.appPort;
    if (port !== 0) return port;
    while (taken.has(next) || SIDECAR_PORTS.has(next)) next++;
    taken.add(next);
    return next;
  });
  return {
    servicePorts,
    adminPort: ADMIN_PORT,
    healthPort: HEALTH_PORT,
    metricsMergePort: METRICS_MERGE_PORT,
  };
}

/**
 * In the order `heddle run` allocates explicit-capture ports: every mesh port, every app port (the same),
 * the outbound HTTP proxy port (none: 0), admin, health, merged metrics.
 */
export function namespacePortList(specs: readonly PortSpec[]): number[] {
  const ports = namespacePorts(specs);
  return [
    ...ports.servicePorts,
    ...ports.servicePorts,
    0,
    ports.adminPort,
    ports.healthPort,
    ports.metricsMergePort,
  ];
}
