// Port protocols as Istio parses them (case-insensitive), and the families rules reason about.

const KNOWN = new Set([
  'TCP',
  'UDP',
  'GRPC',
  'GRPC-WEB',
  'HTTP',
  'HTTP_PROXY',
  'HTTP2',
  'HTTPS',
  'TLS',
  'MONGO',
  'REDIS',
  'MYSQL',
]);
const HTTP_FAMILY = new Set(['HTTP', 'HTTP2', 'HTTP_PROXY', 'GRPC', 'GRPC-WEB']);
const TLS_FAMILY = new Set(['HTTPS', 'TLS']);
const TCP_FAMILY = new Set(['TCP', 'HTTPS', 'TLS', 'MONGO', 'REDIS', 'MYSQL']);

export const KNOWN_PROTOCOLS: readonly string[] = [...KNOWN];

/** Upper-cased protocol, or '' when unset (Istio then sniffs the protocol). */
export function normalizeProtocol(value: unknown): string {
  return typeof value === 'string' ? value.toUpperCase() : '';
}

export function isKnownProtocol(protocol: string): boolean {
  return KNOWN.has(protocol.toUpperCase());
}

/** Protocols whose requests carry a host name (Host/:authority) the proxy can route on. */
export function isHttpProtocol(protocol: string): boolean {
  return HTTP_FAMILY.has(protocol.toUpperCase());
}

/** Protocols whose connections carry SNI. */
export function isTlsProtocol(protocol: string): boolean {
  return TLS_FAMILY.has(protocol.toUpperCase());
}

/** Protocols proxied as opaque TCP connections. */
export function isTcpProtocol(protocol: string): boolean {
  return TCP_FAMILY.has(protocol.toUpperCase());
}
