// Which protocol the mesh uses for a Kubernetes port: from `appProtocol`, else from the port-name prefix
// (`http-web`, `grpc`, `tcp-db` …), as Istio decides it.

/** Protocols Istio recognises by name or appProtocol, lower-case. */
export const MESH_PROTOCOLS: readonly string[] = [
  'grpc',
  'grpc-web',
  'http',
  'http2',
  'https',
  'mongo',
  'mysql',
  'redis',
  'tcp',
  'tls',
  'udp',
];

/** Kubernetes-standard appProtocol values and the mesh protocol they mean. */
const STANDARD_APP_PROTOCOLS: Readonly<Record<string, string>> = {
  'kubernetes.io/h2c': 'http2',
  'kubernetes.io/ws': 'http',
  'kubernetes.io/wss': 'https',
  h2c: 'http2',
};

export interface PortProtocol {
  readonly protocol: string;
  readonly source: 'appProtocol' | 'name';
}

/** The protocol an `appProtocol` value selects, or undefined when the mesh does not know it. */
export function protocolFromAppProtocol(appProtocol: string): string | undefined {
  const lower = appProtocol.toLowerCase();
  if (MESH_PROTOCOLS.includes(lower)) return lower;
  return STANDARD_APP_PROTOCOLS[lower];
}

/** The protocol a port name selects (`http-web` → http), or undefined. */
export function protocolFromPortName(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (MESH_PROTOCOLS.includes(lower)) return lower;
  const dash = lower.indexOf('-');
  const prefix = dash >= 0 ? lower.slice(0, dash) : lower;
  return MESH_PROTOCOLS.includes(prefix) ? prefix : undefined;
}

export function portProtocol(port: {
  readonly name?: unknown;
  readonly appProtocol?: unknown;
}): PortProtocol | undefined {
  if (typeof port.appProtocol === 'string') {
    const protocol = protocolFromAppProtocol(port.appProtocol);
    if (protocol) return { protocol, source: 'appProtocol' };
  }
  if (typeof port.name === 'string') {
    const protocol = protocolFromPortName(port.name);
    if (protocol) return { protocol, source: 'name' };
  }
  return undefined;
}
