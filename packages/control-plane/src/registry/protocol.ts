// Istio's protocol selection: the protocol of a service port from its transport, appProtocol or name prefix.
import type { PortProtocol } from '@heddle/translate';

const PROTOCOLS: Readonly<Record<string, PortProtocol>> = {
  http: 'HTTP',
  http2: 'HTTP2',
  https: 'HTTPS',
  grpc: 'GRPC',
  'grpc-web': 'GRPC-WEB',
  tcp: 'TCP',
  tls: 'TLS',
  mongo: 'MONGO',
  redis: 'REDIS',
  mysql: 'MYSQL',
  udp: 'UDP',
};

/**
 * Kubernetes-defined appProtocol values. Istio would sniff these ports; Heddle does not sniff, so it takes
 * what the value says: h2c is HTTP/2 without TLS, ws and wss are HTTP/1.1 upgrades.
 */
const KUBERNETES_APP_PROTOCOLS: Readonly<Record<string, PortProtocol>> = {
  'kubernetes.io/h2c': 'HTTP2',
  'kubernetes.io/ws': 'HTTP',
  'kubernetes.io/wss': 'HTTPS',
};

/** A protocol name as Istio parses it (case-insensitive), or undefined when Istio does not know it. */
export function parseProtocol(value: string | undefined): PortProtocol | undefined {
  return value === undefined ? undefined : PROTOCOLS[value.toLowerCase()];
}

export interface PortDeclaration {
  /** Port name, `<protocol>[-<suffix>]` when it selects a protocol. */
  readonly name?: string;
  readonly appProtocol?: string;
  /** Kubernetes transport protocol: TCP (default), UDP, SCTP. */
  readonly protocol?: string;
}

/**
 * UDP transport wins; then appProtocol (which takes precedence over the name); then the name's prefix before
 * the first `-` (`grpc-web` is matched whole first, since it contains one). Anything else — an unnamed port,
 * an unknown prefix — is TCP: where Istio would sniff, Heddle treats the bytes as opaque.
 */
export function selectProtocol(port: PortDeclaration): PortProtocol {
  if (port.protocol?.toUpperCase() === 'UDP') return 'UDP';
  if (port.appProtocol !== undefined) {
    const known = KUBERNETES_APP_PROTOCOLS[port.appProtocol.toLowerCase()];
    if (known) return known;
  }
  const name = (port.appProtocol ?? port.name ?? '').toLowerCase();
  if (name.startsWith('grpc-web')) return 'GRPC-WEB';
  const dash = name.indexOf('-');
  return parseProtocol(dash < 0 ? name : name.slice(0, dash)) ?? 'TCP';
}
