// The text form of `x describe service`: one block per concern, indented as istioctl's describe output.
import { labelText, type ServiceDescription, type WorkloadPolicyView } from './describe-service.ts';
import type { RouteView } from './route-lines.ts';

const IN = '   ';

const SCOPE_WORDS = {
  mesh: 'mesh-wide',
  namespace: 'namespace-wide',
  workload: 'selects this workload',
} as const;

export interface ServiceRendering {
  /** Subsets to mark as the described workload's own (x describe workload). */
  readonly subsetsOfWorkload?: ReadonlySet<string>;
  /** Leaves out the per-workload security blocks, printed once by x describe workload instead. */
  readonly omitWorkloads?: boolean;
}

export function renderServiceDescription(
  description: ServiceDescription,
  rendering: ServiceRendering = {},
): string {
  const only = rendering.subsetsOfWorkload;
  const lines: string[] = [];
  const { service } = description;
  lines.push(`Service: ${service.hostname} (${service.origin})`);
  for (const port of service.ports) {
    const target = port.targetPort !== undefined ? ` → workload port ${port.targetPort}` : '';
    lines.push(`${IN}Port: ${port.name} ${port.number}/${port.protocol}${target}`);
  }
  if (service.endpoints.length === 0) lines.push(`${IN}Endpoints: none`);
  for (const endpoint of service.endpoints) {
    const who = endpoint.workload ? `${endpoint.workload}, ` : '';
    const health = endpoint.healthy ? '' : ' UNHEALTHY';
    lines.push(`${IN}Endpoint: ${endpoint.address} (${who}${labelText(endpoint.labels)})${health}`);
  }
  const rule = description.destinationRule;
  if (!rule) lines.push('DestinationRule: none');
  else {
    lines.push(`DestinationRule: ${rule.ref}`);
    if (rule.trafficPolicy.length > 0) lines.push(`${IN}Traffic policy: ${rule.trafficPolicy.join('; ')}`);
    for (const subset of rule.subsets) {
      const mark = only === undefined ? '' : only.has(subset.name) ? ' ← this workload' : '';
      const policy = subset.trafficPolicy.length > 0 ? `; ${subset.trafficPolicy.join('; ')}` : '';
      const count = `${subset.endpoints} endpoint${subset.endpoints === 1 ? '' : 's'}`;
      lines.push(`${IN}Subset ${subset.name} (${labelText(subset.labels)}): ${count}${policy}${mark}`);
    }
  }
  lines.push(`Client TLS: ${description.clientTls}`);
  if (description.virtualServices.length === 0)
    lines.push('VirtualService: none (requests go to the service as addressed)');
  for (const vs of description.virtualServices) {
    lines.push(`VirtualService: ${vs.ref} (hosts ${vs.hosts.join(', ')})`);
    lines.push(...routeLines(vs.routes));
  }
  if (!rendering.omitWorkloads)
    for (const workload of description.workloads) lines.push(...workloadLines(workload));
  if (description.gateways.length === 0) lines.push('Gateways: none route to this service');
  for (const exposure of description.gateways) {
    lines.push(
      `Exposed on gateway ${exposure.gateway} (${exposure.selector}) by VirtualService ${exposure.virtualService}`,
    );
    if (exposure.servers.length > 0) lines.push(`${IN}Servers: ${exposure.servers.join('; ')}`);
    lines.push(...routeLines(exposure.routes));
  }
  return `${lines.join('\n')}\n`;
}

function routeLines(routes: readonly RouteView[]): string[] {
  return routes.flatMap((route, index) => {
    const name = route.name !== undefined ? ` "${route.name}"` : '';
    const head = `${IN}${route.protocol.toUpperCase()} rule ${index + 1}${name}: ${route.match}`;
    const destinations = route.destinations.map((destination) => {
      const subset = destination.subset !== undefined ? ` subset ${destination.subset}` : '';
      const port = destination.port !== undefined ? ` port ${destination.port}` : '';
      return `${IN}${IN}→ ${destination.host}${subset}${port} ${destination.weight}%`;
    });
    return [head, ...destinations, ...route.actions.map((action) => `${IN}${IN}${action}`)];
  });
}

export function workloadLines(
  view: WorkloadPolicyView,
  title = `Workloads ${view.workloads.join(', ')}:`,
): string[] {
  const lines = [title];
  for (const mtls of view.mtls) {
    const source =
      mtls.policy === undefined
        ? 'no PeerAuthentication: the mesh default'
        : `PeerAuthentication ${mtls.policy}, ${SCOPE_WORDS[mtls.scope ?? 'workload']}${mtls.portLevel ? ', port level' : ''}`;
    lines.push(`${IN}mTLS on port ${mtls.port}: ${mtls.mode} (${source})`);
  }
  if (view.authorization.length === 0) lines.push(`${IN}AuthorizationPolicy: none (every request allowed)`);
  for (const policy of view.authorization) {
    const rules = `${policy.rules} rule${policy.rules === 1 ? '' : 's'}`;
    lines.push(
      `${IN}AuthorizationPolicy: ${policy.action} ${policy.policy} (${SCOPE_WORDS[policy.scope]}, ${rules})`,
    );
  }
  return lines;
}
