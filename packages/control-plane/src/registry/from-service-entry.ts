// A ServiceEntry as mesh services: one per host, with its ports, resolution, location and endpoints (inline,
// selected workloads, or the host itself for DNS).
import type { MeshService, ServiceEndpoint, ServicePort } from '@heddle/translate';
import { normalizeExportTo } from './export-to.ts';
import { workloadFromSpec } from './from-workload-entry.ts';
import { parseProtocol } from './protocol.ts';
import type { ConfigObject } from './specs/config-object.ts';
import {
  readServiceEntrySpec,
  type ServiceEntryPortSpec,
  type ServiceEntrySpec,
} from './specs/service-entry-spec.ts';
import {
  compareEndpoints,
  selectWorkloads,
  toEndpoint,
  UNIX_ADDRESS_PREFIX,
  type WorkloadInstance,
} from './workload.ts';

/** `workloads`: the WorkloadEntries and registered workloads a workloadSelector may pick from. */
export function servicesFromServiceEntry(
  entry: ConfigObject,
  workloads: readonly WorkloadInstance[],
): MeshService[] {
  const spec = readServiceEntrySpec(entry.spec);
  const { name, namespace } = entry.metadata;
  const ports: ServicePort[] = spec.ports.map((port) => ({
    name: port.name,
    number: port.number,
    // A missing or unknown protocol is where Istio would sniff; Heddle treats it as opaque TCP.
    protocol: parseProtocol(port.protocol) ?? 'TCP',
    ...(port.targetPort !== undefined ? { targetPort: port.targetPort } : {}),
  }));
  const shared = workloadEndpoints(spec, namespace, workloads);
  return spec.hosts.map((hostname) => ({
    hostname,
    namespace,
    name,
    ports,
    resolution: spec.resolution,
    location: spec.location,
    addresses: spec.addresses,
    exportTo: normalizeExportTo(spec.exportTo, namespace),
    endpoints: usesHostAsEndpoint(spec) ? [hostEndpoint(hostname, namespace, spec.ports)] : shared,
    origin: `ServiceEntry ${namespace}/${name}`,
  }));
}

/** As Istio: a DNS entry with neither endpoints nor a selector resolves its own host names. */
function usesHostAsEndpoint(spec: ServiceEntrySpec): boolean {
  return (
    (spec.resolution === 'DNS' || spec.resolution === 'DNS_ROUND_ROBIN') &&
    spec.endpoints.length === 0 &&
    spec.workloadSelector === undefined
  );
}

function workloadEndpoints(
  spec: ServiceEntrySpec,
  namespace: string,
  workloads: readonly WorkloadInstance[],
): ServiceEndpoint[] {
  const inline = spec.endpoints
    .filter((endpoint) => endpoint.address !== undefined)
    .map((endpoint) => workloadFromSpec(endpoint, { name: '', namespace, origin: 'ServiceEntry endpoint' }));
  const selected = spec.workloadSelector ? selectWorkloads(workloads, namespace, spec.workloadSelector) : [];
  return [...inline, ...selected]
    .map((workload) => toEndpoint(workload, endpointPorts(workload, spec.ports)))
    .sort(compareEndpoints);
}

/** Istio's order: a unix socket has no port; then the workload's port of that name, targetPort, the port. */
function endpointPorts(
  workload: WorkloadInstance,
  ports: readonly ServiceEntryPortSpec[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const port of ports) {
    out[port.name] = workload.address.startsWith(UNIX_ADDRESS_PREFIX)
      ? 0
      : (workload.ports[port.name] ?? port.targetPort ?? port.number);
  }
  return out;
}

function hostEndpoint(
  hostname: string,
  namespace: string,
  ports: readonly ServiceEntryPortSpec[],
): ServiceEndpoint {
  return {
    address: hostname,
    ports: Object.fromEntries(ports.map((port) => [port.name, port.targetPort ?? port.number])),
    labels: {},
    namespace,
    healthy: true,
    tlsMode: 'disabled',
  };
}
