// How a listener treats a port's protocol: HTTP (connection manager), TLS (SNI routing), TCP, or not at all.
export type ProtocolClass = 'http' | 'tls' | 'tcp' | 'unsupported';

/** Istio protocol names, any case: MONGO, REDIS, MYSQL and unknown names are opaque TCP. */
export function protocolClass(protocol: string): ProtocolClass {
  switch (protocol.toUpperCase()) {
    case 'HTTP':
    case 'HTTP2':
    case 'GRPC':
    case 'GRPC-WEB':
      return 'http';
    case 'HTTPS':
    case 'TLS':
      return 'tls';
    case 'UDP':
      return 'unsupported';
    default:
      return 'tcp';
  }
}
