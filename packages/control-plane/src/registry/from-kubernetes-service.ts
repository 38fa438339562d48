// A Kubernetes v1 Service manifest as a service definition: <name>.<namespace>.svc.<domain>, its ports with
// Istio's protocol selection, and the workloads its selector picks as endpoints.
import type { MeshService, ServiceEndpoint, ServicePort } from '@heddle/translate';
import { exportToFromAnnotation, normalizeExportTo } from './export-to.ts';
import { selectProtocol } from './protocol.ts';
import type { ConfigObject } from './specs/config-object.ts';
import {
  readKubernetesServiceSpec,
  type KubernetesServicePortSpec,
} from './specs/kubernetes-service-spec.ts';
import {
  compareEndpoints,
  selectWorkloads,
  toEndpoint,
  UNIX_ADDRESS_PREFIX,
  type WorkloadInstance,
} from './workload.ts';

export const DEFAULT_DOMAIN_SUFFIX = 'cluster.local';

export function kubernetesServiceHostname(
  name: string,
  namespace: string,
  domainSuffix = DEFAULT_DOMAIN_SUFFIX,
): string {
  return `${name}.${namespace}.svc.${domainSuffix}`;
}

export function serviceFromKubernetesService(
  service: ConfigObject,
  workloads: readonly WorkloadInstance[],
  domainSuffix = DEFAULT_DOMAIN_SUFFIX,
): MeshService {
  const spec = readKubernetesServiceSpec(service.spec);
  const { name, namespace } = service.metadata;
  const ports: ServicePort[] = spec.ports.map((port) => ({
    name: port.name,
    number: port.port,
    protocol: selectProtocol(port),
    ...(typeof port.targetPort === 'number' && port.targetPort !== port.port
      ? { targetPort: port.targetPort }
      : {}),
  }));
  const common = {
    hostname: kubernetesServiceHostname(name, namespace, domainSuffix),
    namespace,
    name,
    ports,
    exportTo: normalizeExportTo(exportToFromAnnotation(service.metadata.annotations), namespace),
    origin: `Service ${namespace}/${name}`,
  };
  if (spec.type === 'ExternalName' && spec.externalName !== undefined) {
    // Istio's reading of ExternalName: an external DNS name behind an in-mesh host name.
    return {
      ...common,
      resolution: 'DNS',
      location: 'MESH_EXTERNAL',
      addresses: [],
      endpoints: [externalNameEndpoint(spec.externalName, namespace, spec.ports)],
    };
  }
  return {
    ...common,
    // Headless services have no virtual IP; clients connect to the address they resolved (Istio: passthrough).
    resolution: spec.headless ? 'NONE' : 'STATIC',
    location: 'MESH_INTERNAL',
    addresses: spec.clusterIPs,
    endpoints: selectedEndpoints(spec.selector, namespace, spec.ports, workloads),
  };
}

function selectedEndpoints(
  selector: Readonly<Record<string, string>>,
  namespace: string,
  ports: readonly KubernetesServicePortSpec[],
  workloads: readonly WorkloadInstance[],
): ServiceEndpoint[] {
  // As in Kubernetes, a Service without a selector gets no endpoints automatically.
  if (Object.keys(selector).length === 0) return [];
  return selectWorkloads(workloads, namespace, selector)
    .flatMap((workload) => {
      const resolved = endpointPorts(workload, ports);
      return ports.length > 0 && Object.keys(resolved).length === 0 ? [] : [toEndpoint(workload, resolved)];
    })
    .sort(compareEndpoints);
}

/**
 * A named targetPort must exist on the workload (as in Kubernetes, the port is not served otherwise);
 * else the workload's port named like the service port, the numeric targetPort, the service port.
 */
function endpointPorts(
  workload: WorkloadInstance,
  ports: readonly KubernetesServicePortSpec[],
): Record<string, number> {
  const out: Record<string, number> = {};
  const unix = workload.address.startsWith(UNIX_ADDRESS_PREFIX);
  for (const port of ports) {
    if (unix) out[port.name] = 0;
    else if (typeof port.targetPort === 'string') {
      const named = workload.ports[port.targetPort];
      if (named !== undefined) out[port.name] = named;
    } else out[port.name] = workload.ports[port.name] ?? port.targetPort ?? port.port;
  }
  return out;
}

function externalNameEndpoint(
  externalName: string,
  namespace: string,
  ports: readonly KubernetesServicePortSpec[],
): ServiceEndpoint {
  return {
    address: externalName,
    ports: Object.fromEntries(
      ports.map((port) => [port.name, typeof port.targetPort === 'number' ? port.targetPort : port.port]),
    ),
    labels: {},
    namespace,
    healthy: true,
    tlsMode: 'disabled',
  };
}
