// The ports on which this workload receives mesh traffic and where each goes: the ports of the services
// whose endpoints are this workload, plus a Sidecar's ingress listeners. Listeners and clusters share it.
import type { ConnectionPoolSettings, IstioIngressListener } from '@heddle/api';
import type { ProxyNode } from '../model/proxy-node.ts';
import type { PortProtocol, ServiceEndpoint } from '../model/service.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { endpointPort } from './destination.ts';

export interface InboundPort {
  /** The port mesh clients connect to on this workload (the endpoint port, Istio's inbound cluster port). */
  readonly port: number;
  readonly protocol: PortProtocol;
  /** Where the proxy forwards: an address (IP or `unix://` path) and port. */
  readonly target: { readonly address: string; readonly port: number };
  /** The Sidecar ingress listener's connection pool, else the Sidecar's inboundConnectionPool. */
  readonly connectionPool?: ConnectionPoolSettings;
  /** Services served on the port, by hostname (empty for a Sidecar ingress port no service names). */
  readonly hostnames: readonly string[];
}

const LOOPBACK = '127.0.0.1';
const LOOPBACK_PATTERN = /^(127\.|::1$|localhost$)/;
const PROTOCOLS: readonly PortProtocol[] = [
  'HTTP',
  'HTTP2',
  'HTTPS',
  'GRPC',
  'GRPC-WEB',
  'TCP',
  'TLS',
  'MONGO',
  'REDIS',
  'MYSQL',
  'UDP',
];

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length > 0 && keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * A named endpoint is this workload only by name: on one machine every workload may share 127.0.0.1, and
 * replicas share labels. Unnamed (inline ServiceEntry) endpoints match by a non-loopback address, else by
 * the same label set.
 */
export function isLocalEndpoint(endpoint: ServiceEndpoint, node: ProxyNode): boolean {
  if (endpoint.namespace !== node.namespace) return false;
  if (endpoint.workloadName !== undefined) return endpoint.workloadName === node.workloadName;
  if (!LOOPBACK_PATTERN.test(endpoint.address) && node.ipAddresses.includes(endpoint.address)) return true;
  return sameLabels(endpoint.labels, node.labels);
}

/** Explicit capture: the app listens on loopback, on its own port when `appPorts` maps one. */
function appTarget(node: ProxyNode, port: number): InboundPort['target'] {
  const appPort = node.capture === 'explicit' ? node.appPorts?.[String(port)] : undefined;
  return { address: LOOPBACK, port: appPort ?? port };
}

/** `127.0.0.1:<port>`, `0.0.0.0:<port>` (the workload's own address) or `unix://<path>`. */
function ingressTarget(node: ProxyNode, listener: IstioIngressListener, port: number): InboundPort['target'] {
  const endpoint = listener.defaultEndpoint;
  if (endpoint === undefined) return appTarget(node, port);
  if (endpoint.startsWith('unix://')) return { address: endpoint, port: 0 };
  const [host = '', portText = ''] = endpoint.split(':');
  const target = Number(portText) || port;
  return { address: host === '0.0.0.0' ? (node.ipAddresses[0] ?? LOOPBACK) : LOOPBACK, port: target };
}

function ingressProtocol(text: string | undefined): PortProtocol {
  const upper = text?.toUpperCase();
  return PROTOCOLS.find((p) => p === upper) ?? 'TCP';
}

export function inboundPorts(ctx: TranslationContext): InboundPort[] {
  const { node } = ctx;
  if (node.role !== 'sidecar') return [];
  const sidecar = ctx.index.sidecarFor(node);
  const byPort = new Map<number, { protocol: PortProtocol; hostnames: Set<string> }>();
  for (const service of ctx.index.snapshot.services) {
    for (const endpoint of service.endpoints) {
      if (!isLocalEndpoint(endpoint, node)) continue;
      for (const servicePort of service.ports) {
        if (Object.keys(endpoint.ports).length > 0 && endpoint.ports[servicePort.name] === undefined)
          continue;
        const port = endpointPort(endpoint, servicePort);
        if (port <= 0) continue;
        // The first service (by hostname) decides the protocol when several share a port.
        const entry = byPort.get(port) ?? { protocol: servicePort.protocol, hostnames: new Set<string>() };
        entry.hostnames.add(service.hostname);
        byPort.set(port, entry);
      }
    }
  }
  const result = new Map<number, InboundPort>();
  for (const [port, entry] of byPort) {
    result.set(port, {
      port,
      protocol: entry.protocol,
      target: appTarget(node, port),
      ...(sidecar?.spec.inboundConnectionPool ? { connectionPool: sidecar.spec.inboundConnectionPool } : {}),
      hostnames: [...entry.hostnames].sort(),
    });
  }
  for (const listener of sidecar?.spec.ingress ?? []) {
    const port = listener.port.number;
    if (port === undefined) continue;
    const pool = listener.connectionPool ?? sidecar?.spec.inboundConnectionPool;
    result.set(port, {
      port,
      protocol: listener.port.protocol
        ? ingressProtocol(listener.port.protocol)
        : (byPort.get(port)?.protocol ?? 'TCP'),
      target: ingressTarget(node, listener, listener.port.targetPort ?? port),
      ...(pool ? { connectionPool: pool } : {}),
      hostnames: [...(byPort.get(port)?.hostnames ?? [])].sort(),
    });
  }
  return [...result.values()].sort((a, b) => a.port - b.port);
}
