// `heddle x describe workload` (istioctl x describe pod): one workload — its identity and labels, its proxy's
// sync state and the authorization its proxy was sent, the mTLS and policies that apply to it, and each
// service it backs, with the DestinationRule subsets it belongs to.
import type { ProxyStatus, WorkloadInstance } from '@heddle/control-plane';
import type { MeshService } from '@heddle/translate';
import { CliError } from '../cli-error.ts';
import { EXIT_CODES } from '../exit-codes.ts';
import { UsageError } from '../usage-error.ts';
import {
  describeService,
  labelText,
  type ServiceDescription,
  type WorkloadPolicyView,
} from './describe-service.ts';
import type { MeshModel } from './mesh-model.ts';
import { renderServiceDescription, workloadLines } from './render-service.ts';
import { authorizationPolicies, mtlsModes } from './workload-security.ts';

export interface WorkloadDescription {
  readonly workload: WorkloadInstance;
  readonly proxy?: { readonly id: string; readonly sync: Readonly<Record<string, string>> };
  /** Policy names in the proxy's RBAC filters (from its config dump), when a proxy is connected. */
  readonly enforcedPolicies?: readonly string[];
  readonly security: WorkloadPolicyView;
  readonly services: readonly {
    readonly subsets: readonly string[];
    readonly description: ServiceDescription;
  }[];
}

export function findWorkload(
  workloads: readonly WorkloadInstance[],
  argument: string,
  namespace: string | undefined,
): WorkloadInstance {
  const [name = '', inName] = argument.split('.', 2);
  const ns = inName ?? namespace;
  const matches = workloads.filter((w) => w.name === name && (ns === undefined || w.namespace === ns));
  if (matches.length === 1) return matches[0] as WorkloadInstance;
  if (matches.length === 0) {
    const where = ns === undefined ? '' : ` in namespace "${ns}"`;
    throw new CliError(
      `no workload "${name}"${where} is registered (WorkloadEntry or 'heddle run')`,
      EXIT_CODES.NOT_FOUND,
    );
  }
  throw new UsageError(
    `workload "${name}" exists in several namespaces: ${matches.map((w) => w.namespace).join(', ')}`,
    `Name one: '${name}.<namespace>' or -n <namespace>.`,
  );
}

export function describeWorkload(
  model: MeshModel,
  workload: WorkloadInstance,
  enforcedPolicies: readonly string[] | undefined,
  proxy: ProxyStatus | undefined,
): WorkloadDescription {
  const services = model.services.filter((service) => backs(service, workload));
  const ports = [...new Set(Object.values(workload.ports))].sort((a, b) => a - b);
  const servicePorts = services.flatMap((service) =>
    service.ports.map((port) => workload.ports[port.name] ?? port.targetPort ?? port.number),
  );
  const allPorts = [...new Set([...ports, ...servicePorts])].sort((a, b) => a - b);
  return {
    workload,
    ...(proxy
      ? { proxy: { id: proxy.proxy, sync: Object.fromEntries(proxy.types.map((t) => [t.type, t.status])) } }
      : {}),
    ...(enforcedPolicies ? { enforcedPolicies } : {}),
    security: {
      workloads: [`${workload.name}.${workload.namespace}`],
      mtls: mtlsModes(model.index, workload, allPorts),
      authorization: authorizationPolicies(model.index, workload),
    },
    services: services.map((service) => {
      const description = describeService(model.index, service);
      const subsets = (description.destinationRule?.subsets ?? [])
        .filter((subset) => Object.entries(subset.labels).every(([k, v]) => workload.labels[k] === v))
        .map((subset) => subset.name);
      return { subsets, description };
    }),
  };
}

function backs(service: MeshService, workload: WorkloadInstance): boolean {
  return service.endpoints.some(
    (endpoint) =>
      (endpoint.namespace ?? service.namespace) === workload.namespace &&
      (endpoint.workloadName === workload.name ||
        (endpoint.workloadName === undefined && endpoint.address === workload.address)),
  );
}

export function renderWorkloadDescription(description: WorkloadDescription): string {
  const { workload } = description;
  const IN = '   ';
  const lines = [
    `Workload: ${workload.name}.${workload.namespace} (${workload.origin})`,
    `${IN}Address: ${workload.address}`,
    `${IN}Service account: ${workload.serviceAccount}`,
    `${IN}Labels: ${labelText(workload.labels)}`,
  ];
  if (workload.locality) {
    const { region, zone, subzone } = workload.locality;
    lines.push(`${IN}Locality: ${[region, zone, subzone].filter(Boolean).join('/')}`);
  }
  if (!workload.healthy) lines.push(`${IN}Health: UNHEALTHY (not sent as an endpoint)`);
  if (description.proxy) {
    const sync = Object.entries(description.proxy.sync)
      .map(([type, status]) => `${type} ${status}`)
      .join(', ');
    lines.push(`${IN}Proxy: ${description.proxy.id} (${sync})`);
  } else lines.push(`${IN}Proxy: none connected`);
  lines.push(...workloadLines(description.security, 'Security:'));
  if (description.enforcedPolicies) {
    const enforced =
      description.enforcedPolicies.length > 0 ? description.enforcedPolicies.join(', ') : 'none';
    lines.push(`${IN}Policies in its proxy's config: ${enforced}`);
  }
  const text = `${lines.join('\n')}\n`;
  if (description.services.length === 0) return `${text}Services: none select this workload\n`;
  const services = description.services.map(({ subsets, description: service }) =>
    renderServiceDescription(service, { subsetsOfWorkload: new Set(subsets), omitWorkloads: true }),
  );
  return [text, ...services].join('--------------------\n');
}
