// The environment of the app `heddle run` starts: its port, its sidecar as HTTP proxy (loopback excepted),
// and what it is in the mesh (HEDDLE_*).

export interface AppEnvInput {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The first port's app port: where the app should listen, on 127.0.0.1. */
  readonly appPort?: number;
  /** Mesh port → app port, every port. */
  readonly appPorts: ReadonlyMap<number, number>;
  readonly outboundPort: number;
  readonly adminPort: number;
  readonly controlPlaneUrl: string;
  /** Transparent capture: no HTTP_PROXY (iptables sends the app's calls to the sidecar), none inherited. */
  readonly capture?: 'explicit' | 'transparent';
}

/** Loopback stays direct: an app's own ports and local tools are not mesh services. */
export const NO_PROXY = 'localhost,127.0.0.1,::1,[::1]';

export function appEnv(
  base: Readonly<Record<string, string | undefined>>,
  input: AppEnvInput,
): Record<string, string | undefined> {
  const proxy = `http://127.0.0.1:${input.outboundPort}`;
  const env: Record<string, string | undefined> = {
    ...base,
    HTTP_PROXY: proxy,
    http_proxy: proxy,
    // https:// calls go through the sidecar as CONNECT tunnels, as Istio passes TLS through.
    HTTPS_PROXY: proxy,
    https_proxy: proxy,
    NO_PROXY,
    no_proxy: NO_PROXY,
    // Node's own http and fetch honour HTTP_PROXY only when asked to.
    NODE_USE_ENV_PROXY: '1',
    HEDDLE_WORKLOAD_NAME: input.name,
    HEDDLE_NAMESPACE: input.namespace,
    HEDDLE_SERVICE_ACCOUNT: input.serviceAccount,
    HEDDLE_OUTBOUND_PORT: String(input.outboundPort),
    HEDDLE_PROXY_ADMIN_PORT: String(input.adminPort),
    HEDDLE_CONTROL_PLANE: input.controlPlaneUrl,
    HEDDLE_APP_PORTS: [...input.appPorts].map(([mesh, app]) => `${mesh}=${app}`).join(','),
  };
  if (input.appPort !== undefined) env.PORT = String(input.appPort);
  if (input.capture === 'transparent') {
    for (const name of Object.keys(env)) if (/^(https?|all|no)_proxy$/i.test(name)) delete env[name];
    delete env.NODE_USE_ENV_PROXY;
    delete env.HEDDLE_OUTBOUND_PORT;
    env.HEDDLE_CAPTURE = 'transparent';
  }
  delete env.NODE_TEST_CONTEXT;
  return env;
}
