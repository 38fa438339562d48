// `heddle x describe service`: a service as the mesh treats it — its ports and endpoints, the DestinationRule
// and subsets, the VirtualService rules for its host, the mTLS its workloads accept and the client TLS
// callers use, the AuthorizationPolicies on its workloads, and the gateways that route to it.
import type { DestinationRule, Gateway, VirtualService } from '@heddle/api';
import {
  gatewayKey,
  hostMatches,
  MESH_GATEWAY,
  resolveHost,
  type MeshIndex,
  type MeshService,
} from '@heddle/translate';
import { httpRouteView, l4RouteView, type RouteView } from './route-lines.ts';
import { trafficPolicyLines } from './traffic-policy-lines.ts';
import {
  authorizationPolicies,
  mtlsModes,
  refOf,
  type AuthorizationView,
  type MtlsView,
} from './workload-security.ts';

export interface ServiceDescription {
  readonly service: {
    readonly hostname: string;
    readonly name: string;
    readonly namespace: string;
    readonly origin: string;
    readonly ports: readonly {
      readonly name: string;
      readonly number: number;
      readonly protocol: string;
      readonly targetPort?: number;
    }[];
    readonly endpoints: readonly EndpointView[];
  };
  readonly destinationRule?: {
    readonly ref: string;
    readonly trafficPolicy: readonly string[];
    readonly subsets: readonly SubsetView[];
  };
  /** How callers connect: the DestinationRule's TLS mode, or auto mTLS. */
  readonly clientTls: string;
  readonly virtualServices: readonly VirtualServiceView[];
  /** One entry per distinct workload (namespace and labels) behind the service. */
  readonly workloads: readonly WorkloadPolicyView[];
  readonly gateways: readonly GatewayExposure[];
}

export interface EndpointView {
  readonly address: string;
  readonly workload?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly healthy: boolean;
}

export interface SubsetView {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly endpoints: number;
  readonly trafficPolicy: readonly string[];
}

export interface VirtualServiceView {
  readonly ref: string;
  readonly hosts: readonly string[];
  readonly routes: readonly RouteView[];
}

export interface WorkloadPolicyView {
  readonly workloads: readonly string[];
  readonly mtls: readonly MtlsView[];
  readonly authorization: readonly AuthorizationView[];
}

export interface GatewayExposure {
  readonly gateway: string;
  readonly selector: string;
  readonly servers: readonly string[];
  readonly virtualService: string;
  readonly routes: readonly RouteView[];
}

export function describeService(index: MeshIndex, service: MeshService): ServiceDescription {
  const rule = index.destinationRuleFor(service.hostname, service.namespace);
  const endpoints = service.endpoints.map((endpoint) => ({
    address: endpoint.address,
    ...(endpoint.workloadName !== undefined
      ? { workload: `${endpoint.workloadName}.${endpoint.namespace ?? service.namespace}` }
      : {}),
    labels: endpoint.labels,
    healthy: endpoint.healthy,
  }));
  return {
    service: {
      hostname: service.hostname,
      name: service.name,
      namespace: service.namespace,
      origin: service.origin,
      ports: service.ports.map((port) => ({
        name: port.name,
        number: port.number,
        protocol: port.protocol,
        ...(port.targetPort !== undefined ? { targetPort: port.targetPort } : {}),
      })),
      endpoints,
    },
    ...(rule ? { destinationRule: destinationRuleView(rule, service) } : {}),
    clientTls: clientTls(index, rule, service),
    virtualServices: meshVirtualServices(index, service),
    workloads: workloadPolicies(index, service),
    gateways: gatewayExposures(index, service),
  };
}

function destinationRuleView(
  rule: DestinationRule,
  service: MeshService,
): NonNullable<ServiceDescription['destinationRule']> {
  return {
    ref: refOf(rule),
    trafficPolicy: trafficPolicyLines(rule.spec.trafficPolicy),
    subsets: (rule.spec.subsets ?? []).map((subset) => ({
      name: subset.name,
      labels: subset.labels ?? {},
      endpoints: service.endpoints.filter((endpoint) =>
        Object.entries(subset.labels ?? {}).every(([key, value]) => endpoint.labels[key] === value),
      ).length,
      trafficPolicy: trafficPolicyLines(subset.trafficPolicy),
    })),
  };
}

function clientTls(index: MeshIndex, rule: DestinationRule | undefined, service: MeshService): string {
  const mode = rule?.spec.trafficPolicy?.tls?.mode;
  if (mode) return `${mode} (DestinationRule ${refOf(rule)})`;
  const auto = index.snapshot.meshConfig.enableAutoMtls !== false;
  const sidecars =
    service.endpoints.length > 0 && service.endpoints.every((endpoint) => endpoint.tlsMode === 'istio');
  if (auto && sidecars) return 'ISTIO_MUTUAL (auto mTLS: every endpoint runs a sidecar)';
  if (auto && service.endpoints.some((endpoint) => endpoint.tlsMode === 'istio'))
    return 'ISTIO_MUTUAL to endpoints with a sidecar, plaintext to the others (auto mTLS)';
  return 'plaintext (no DestinationRule TLS; auto mTLS finds no sidecar)';
}

function servesHost(vs: VirtualService, hostname: string): boolean {
  const namespace = vs.metadata.namespace ?? 'default';
  return (vs.spec.hosts ?? []).some((host) => hostMatches(resolveHost(host, namespace), hostname));
}

function gatewaysOf(vs: VirtualService): string[] {
  const namespace = vs.metadata.namespace ?? 'default';
  const gateways = vs.spec.gateways && vs.spec.gateways.length > 0 ? vs.spec.gateways : [MESH_GATEWAY];
  return gateways.map((gateway) => gatewayKey(gateway, namespace));
}

function routesOf(vs: VirtualService): RouteView[] {
  const namespace = vs.metadata.namespace ?? 'default';
  return [
    ...(vs.spec.http ?? []).map((route) => httpRouteView(route, namespace)),
    ...(vs.spec.tls ?? []).map((route) => l4RouteView('tls', route.match, route.route, namespace)),
    ...(vs.spec.tcp ?? []).map((route) => l4RouteView('tcp', route.match, route.route, namespace)),
  ];
}

function meshVirtualServices(index: MeshIndex, service: MeshService): VirtualServiceView[] {
  return index.snapshot.virtualServices
    .filter((vs) => gatewaysOf(vs).includes(MESH_GATEWAY) && servesHost(vs, service.hostname))
    .map((vs) => ({ ref: refOf(vs), hosts: vs.spec.hosts ?? [], routes: routesOf(vs) }))
    .sort((a, b) => a.ref.localeCompare(b.ref));
}

function workloadPolicies(index: MeshIndex, service: MeshService): WorkloadPolicyView[] {
  const groups = new Map<
    string,
    { namespace: string; labels: Readonly<Record<string, string>>; workloads: string[]; ports: Set<number> }
  >();
  for (const endpoint of service.endpoints) {
    const namespace = endpoint.namespace ?? service.namespace;
    const key = `${namespace}|${JSON.stringify(Object.entries(endpoint.labels).sort())}`;
    const group = groups.get(key) ?? {
      namespace,
      labels: endpoint.labels,
      workloads: [],
      ports: new Set<number>(),
    };
    group.workloads.push(endpoint.workloadName ? `${endpoint.workloadName}.${namespace}` : endpoint.address);
    for (const port of service.ports)
      group.ports.add(endpoint.ports[port.name] ?? port.targetPort ?? port.number);
    groups.set(key, group);
  }
  // Workloads that come out alike (e.g. two versions under one policy) are listed together.
  const views = new Map<string, WorkloadPolicyView>();
  for (const group of groups.values()) {
    const mtls = mtlsModes(
      index,
      group,
      [...group.ports].sort((a, b) => a - b),
    );
    const authorization = authorizationPolicies(index, group);
    const key = JSON.stringify([mtls, authorization]);
    const workloads = [...(views.get(key)?.workloads ?? []), ...group.workloads];
    views.set(key, { workloads: [...new Set(workloads)].sort(), mtls, authorization });
  }
  return [...views.values()];
}

/** Gateway VirtualServices that route to this service, or that serve its host on a gateway. */
function gatewayExposures(index: MeshIndex, service: MeshService): GatewayExposure[] {
  const exposures: GatewayExposure[] = [];
  for (const vs of index.snapshot.virtualServices) {
    const routes = routesOf(vs).filter(
      (route) =>
        servesHost(vs, service.hostname) || route.destinations.some((d) => d.host === service.hostname),
    );
    if (routes.length === 0) continue;
    for (const key of gatewaysOf(vs)) {
      if (key === MESH_GATEWAY) continue;
      const gateway = findGateway(index.snapshot.gateways, key);
      exposures.push({
        gateway: key,
        selector: gateway ? labelText(gateway.spec.selector ?? {}) : '(no such Gateway)',
        servers: gateway ? serversOf(gateway) : [],
        virtualService: refOf(vs),
        routes,
      });
    }
  }
  return exposures.sort(
    (a, b) => a.gateway.localeCompare(b.gateway) || a.virtualService.localeCompare(b.virtualService),
  );
}

function findGateway(gateways: readonly Gateway[], key: string): Gateway | undefined {
  return gateways.find(
    (gateway) => `${gateway.metadata.namespace ?? 'default'}/${gateway.metadata.name}` === key,
  );
}

function serversOf(gateway: Gateway): string[] {
  return (gateway.spec.servers ?? []).map((server) => {
    const tls = server.tls?.httpsRedirect
      ? ' (redirects to HTTPS)'
      : server.tls?.mode
        ? ` (TLS ${server.tls.mode}${server.tls.credentialName ? `, credential ${server.tls.credentialName}` : ''})`
        : '';
    return `${server.port.protocol.toUpperCase()} ${server.port.number} ${server.hosts.join(',')}${tls}`;
  });
}

export function labelText(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return entries.length > 0 ? entries.map(([key, value]) => `${key}=${value}`).join(',') : '-';
}
