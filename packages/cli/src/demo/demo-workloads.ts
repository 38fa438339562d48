// The workloads of the demo: the seeds' e-commerce services (product in two versions) and a mesh client with an
// identity the order service's AuthorizationPolicy does not name. Each runs beside its own sidecar.

export const DEMO_NAMESPACE = 'ecommerce';

export interface DemoWorkload {
  /** Workload name, as `heddle proxy-status` lists it (`<name>.ecommerce`). */
  readonly name: string;
  readonly app: string;
  readonly version: string;
  readonly serviceAccount: string;
  /** The service's script in examples/ecommerce/services/. */
  readonly script: string;
  /** False for the client: it serves nothing. */
  readonly serves: boolean;
}

const service = (app: string, version = 'v1'): DemoWorkload => ({
  name: version === 'v1' && app !== 'product' ? app : `${app}-${version}`,
  app,
  version,
  serviceAccount: app,
  script: `${app}.ts`,
  serves: true,
});

export const DEMO_WORKLOADS: readonly DemoWorkload[] = [
  service('frontend'),
  service('product', 'v1'),
  service('product', 'v2'),
  service('order'),
  service('user'),
  service('inventory'),
  service('price'),
  service('payment'),
  service('auth'),
  {
    name: 'demo-client',
    app: 'demo-client',
    version: 'v1',
    serviceAccount: 'demo-client',
    script: 'client.ts',
    serves: false,
  },
];

/** `DEMO_PAYMENT_LATENCY_MS=200` → `LATENCY_MS=200` for the payment service (and so on), for experiments. */
export function workloadSettings(
  workload: DemoWorkload,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const settings: Record<string, string> = { SERVICE_VERSION: workload.version };
  const prefix = `DEMO_${workload.app.toUpperCase().replaceAll('-', '_')}_`;
  for (const name of ['LATENCY_MS', 'ERROR_RATE']) {
    const value = env[`${prefix}${name}`] ?? env[`DEMO_${name}`];
    if (value !== undefined && value !== '') settings[name] = value;
  }
  return settings;
}
