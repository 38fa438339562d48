// What each ServiceEntry resolution mode demands of hosts, addresses and endpoints.
import { REGISTRY_CODES } from '../../../findings/codes.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { fqdnProblem } from './fqdn.ts';
import { isHttpProtocol, isTcpProtocol, isTlsProtocol } from './protocol.ts';
import { isSet, isStruct, listAt, numberAt, stringAt, type Struct } from './read.ts';
import type { ServicePort } from './service-entry-ports.ts';
import { isUnixAddress } from './unix-address.ts';
import { checkWorkloadFields, type AddressRule } from './workload-fields.ts';

const MAX_LOCALITY_WEIGHT = 4_294_967_295;
const DYNAMIC_DNS_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'GRPC', 'TLS']);

export function checkResolution(ctx: RuleContext, spec: Struct, ports: readonly ServicePort[]): void {
  const resolution = stringAt(spec.resolution) ?? 'NONE';
  const endpoints = listAt(spec.endpoints);
  switch (resolution) {
    case 'NONE':
      if (endpoints.length > 0) {
        ctx.error(
          REGISTRY_CODES.SERVICE_ENTRY_NONE_WITH_ENDPOINTS,
          ['spec', 'endpoints'],
          'with resolution NONE traffic goes to the address the client dialled, so endpoints are not used; remove them or use resolution STATIC or DNS',
        );
      }
      if (isSet(spec.workloadSelector)) {
        ctx.warn(
          REGISTRY_CODES.SERVICE_ENTRY_NONE_WITH_SELECTOR,
          ['spec', 'workloadSelector'],
          'with resolution NONE the selected workloads are not used as endpoints; use resolution STATIC to send traffic to them',
        );
      }
      return;
    case 'STATIC':
      checkEndpoints(ctx, endpoints, ports, 'static');
      return;
    case 'DNS':
    case 'DNS_ROUND_ROBIN':
      checkDns(ctx, spec, resolution, endpoints, ports);
      return;
    case 'DYNAMIC_DNS':
      checkDynamicDns(ctx, spec, endpoints, ports);
      return;
    default:
      return; // the schema reports unknown values
  }
}

function checkEndpoints(
  ctx: RuleContext,
  endpoints: readonly unknown[],
  ports: readonly ServicePort[],
  addresses: AddressRule,
): void {
  const servicePorts = new Set(ports.flatMap((port) => (port.name ? [port.name] : [])));
  const totals = new Map<string, number>();
  endpoints.forEach((raw, index) => {
    if (!isStruct(raw)) return;
    const path = ['spec', 'endpoints', index];
    checkWorkloadFields(ctx, raw, path, { addresses, servicePorts });
    const address = stringAt(raw.address) ?? '';
    if (addresses === 'static' && isUnixAddress(address) && ports.length !== 1) {
      ctx.error(
        REGISTRY_CODES.SERVICE_ENTRY_UNIX_PORT_COUNT,
        [...path, 'address'],
        `a Unix domain socket endpoint needs a ServiceEntry with exactly one port (this one has ${ports.length})`,
      );
    }
    // Envoy refuses a locality whose endpoint weights add up past 2^32-1.
    const locality = stringAt(raw.locality) ?? '';
    const total = (totals.get(locality) ?? 0) + (numberAt(raw.weight) ?? 1);
    totals.set(locality, total);
    if (total > MAX_LOCALITY_WEIGHT && total - (numberAt(raw.weight) ?? 1) <= MAX_LOCALITY_WEIGHT) {
      ctx.error(
        REGISTRY_CODES.SERVICE_ENTRY_WEIGHT_OVERFLOW,
        [...path, 'weight'],
        `the endpoint weights of locality "${locality || '(none)'}" add up to more than ${MAX_LOCALITY_WEIGHT}; use smaller weights (only their ratio matters)`,
      );
    }
  });
}

function checkDns(
  ctx: RuleContext,
  spec: Struct,
  resolution: string,
  endpoints: readonly unknown[],
  ports: readonly ServicePort[],
): void {
  const hosts = listAt(spec.hosts);
  if (endpoints.length === 0) {
    hosts.forEach((host, index) => {
      if (typeof host !== 'string' || host === '*') return; // "*" is reported with the hosts
      const problem = fqdnProblem(host);
      if (problem) {
        ctx.error(
          REGISTRY_CODES.SERVICE_ENTRY_DNS_HOST_NOT_FQDN,
          ['spec', 'hosts', index],
          `${problem}; with resolution ${resolution} and no endpoints the proxy looks up each host, so use resolution NONE (or DYNAMIC_DNS) for wildcard hosts, or list endpoints`,
        );
      }
    });
  }
  if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) {
    ctx.error(
      REGISTRY_CODES.SERVICE_ENTRY_DNS_ROUND_ROBIN_ENDPOINTS,
      ['spec', 'endpoints', 1],
      'resolution DNS_ROUND_ROBIN uses a single endpoint; keep one, or use resolution DNS to balance across several',
    );
  }
  checkEndpoints(ctx, endpoints, ports, 'dns');
  if (listAt(spec.addresses).length > 0 && hosts.length > 1) {
    const tcp = ports.find((port) => isTcpProtocol(port.protocol));
    if (tcp) {
      ctx.warn(
        REGISTRY_CODES.SERVICE_ENTRY_MULTIPLE_HOSTS_TCP,
        ['spec', 'hosts'],
        `connections to the addresses on TCP port ${tcp.number ?? '?'} cannot be told apart by host; use one ServiceEntry per host`,
      );
    }
  }
}

function checkDynamicDns(
  ctx: RuleContext,
  spec: Struct,
  endpoints: readonly unknown[],
  ports: readonly ServicePort[],
): void {
  const code = REGISTRY_CODES.SERVICE_ENTRY_DYNAMIC_DNS;
  listAt(spec.hosts).forEach((host, index) => {
    if (typeof host === 'string' && host !== '*' && !host.startsWith('*.')) {
      ctx.error(
        code,
        ['spec', 'hosts', index],
        `resolution DYNAMIC_DNS is for wildcard hosts such as "*.example.com"; use resolution DNS for "${host}"`,
      );
    }
  });
  if (listAt(spec.addresses).length > 0) {
    ctx.error(code, ['spec', 'addresses'], 'resolution DYNAMIC_DNS takes no addresses; remove them');
  }
  if (endpoints.length > 0) {
    ctx.error(
      code,
      ['spec', 'endpoints'],
      'resolution DYNAMIC_DNS resolves the requested host name itself and takes no endpoints; remove them',
    );
  }
  for (const port of ports) {
    if (!DYNAMIC_DNS_PROTOCOLS.has(port.protocol)) {
      ctx.error(
        code,
        ['spec', 'ports', port.index, ...(port.protocol === '' ? [] : ['protocol'])],
        'resolution DYNAMIC_DNS needs the host name from the request, so ports must be HTTP, HTTP2, GRPC or TLS',
      );
    }
  }
  if (stringAt(spec.location) !== 'MESH_EXTERNAL') {
    ctx.error(
      code,
      isSet(spec.location) ? ['spec', 'location'] : ['spec'],
      'resolution DYNAMIC_DNS is only for services outside the mesh; set location: MESH_EXTERNAL',
    );
  }
}

/** Several hosts on ports the proxy cannot tell apart by name (plain TCP) only work with addresses. */
export function checkMultipleHosts(ctx: RuleContext, spec: Struct, ports: readonly ServicePort[]): void {
  const resolution = stringAt(spec.resolution) ?? 'NONE';
  if (resolution === 'NONE' || listAt(spec.hosts).length < 2 || listAt(spec.addresses).length > 0) return;
  const opaque = ports.find((port) => !isHttpProtocol(port.protocol) && !isTlsProtocol(port.protocol));
  if (!opaque) return;
  ctx.error(
    REGISTRY_CODES.SERVICE_ENTRY_MULTIPLE_HOSTS_TCP,
    ['spec', 'hosts'],
    `several hosts share port ${opaque.number ?? '?'} (${opaque.protocol || 'no protocol'}), where connections carry no host name; use one ServiceEntry per host, add addresses, or use HTTP/TLS ports`,
  );
}
