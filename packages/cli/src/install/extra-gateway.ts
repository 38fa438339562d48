// A gateway an IstioOperator asks for beyond heddle up's own ingress gateway (the egress gateway, or more
// ingress gateways): heddle-proxy with that gateway's identity and labels, its xDS through a relay so it can
// follow a revision, its Gateway ports below 1024 moved up by an offset of its own, and a join token kept fresh.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatAddress } from '../control/listen-address.ts';
import { keepJoinToken, type JoinTokenKeeper } from '../up/join-token-keeper.ts';
import type { GatewayPlan } from './install-plan.ts';

export interface ExtraGatewayFiles {
  readonly dir: string;
  readonly bootstrap: string;
  readonly token: string;
}

export function extraGatewayFiles(
  dataDir: string,
  gateway: Pick<GatewayPlan, 'name' | 'namespace'>,
): ExtraGatewayFiles {
  const dir = join(dataDir, 'gateways', `${gateway.name}.${gateway.namespace}`);
  return { dir, bootstrap: join(dir, 'bootstrap.json'), token: join(dir, 'join-token') };
}

export function gatewayServiceAccount(name: string): string {
  return `${name}-service-account`;
}

export function extraGatewayNodeId(
  address: string,
  gateway: Pick<GatewayPlan, 'name' | 'namespace'>,
): string {
  return `router~${address}~${gateway.name}.${gateway.namespace}~${gateway.namespace}.svc.cluster.local`;
}

export interface ExtraGatewayBootstrapInput {
  readonly gateway: GatewayPlan;
  readonly address: string;
  readonly xdsAddress: string;
  readonly adminPort: number;
  readonly healthPort: number;
  /** Every Gateway listener binds on `address`, ports below 1024 moved up by this much. */
  readonly portOffset: number;
  readonly concurrency?: number;
  readonly tokenFile?: string;
}

export function extraGatewayBootstrap(input: ExtraGatewayBootstrapInput): Record<string, unknown> {
  const { gateway } = input;
  return {
    node: {
      id: extraGatewayNodeId(input.address, gateway),
      cluster: `${gateway.name}.${gateway.namespace}`,
      metadata: {
        NAMESPACE: gateway.namespace,
        WORKLOAD_NAME: gateway.name,
        SERVICE_ACCOUNT: gatewayServiceAccount(gateway.name),
        LABELS: gateway.labels,
        INSTANCE_IPS: input.address,
        // The admin's Prometheus stats hold Istio's metrics: the control plane scrapes them for the dashboard.
        ...(input.adminPort > 0
          ? {
              HEDDLE_METRICS_URL: `http://${formatAddress({ host: input.address, port: input.adminPort })}/stats/prometheus`,
            }
          : {}),
      },
    },
    controlPlane: { addresses: [input.xdsAddress] },
    admin: { address: input.address, port: input.adminPort },
    health: { address: input.address, port: input.healthPort },
    drainTimeout: '5s',
    ...(input.concurrency !== undefined ? { concurrency: input.concurrency } : {}),
    ...(input.tokenFile !== undefined ? { ca: { tokenFile: input.tokenFile } } : {}),
    // heddle-proxy binds the Gateway listeners itself: on this machine's address, low ports moved up.
    listenerAddress: input.address,
    privilegedPortOffset: input.portOffset,
  };
}

/** Starts keeping the gateway's join token fresh (undefined without a CA), then writes its bootstrap. */
export async function writeExtraGatewayFiles(
  files: ExtraGatewayFiles,
  controlPlaneUrl: string,
  input: Omit<ExtraGatewayBootstrapInput, 'tokenFile'>,
  onTokenError?: (message: string) => void,
): Promise<JoinTokenKeeper | undefined> {
  await mkdir(files.dir, { recursive: true });
  const token = await keepJoinToken({
    controlPlaneUrl,
    tokenFile: files.token,
    identity: {
      namespace: input.gateway.namespace,
      serviceAccount: gatewayServiceAccount(input.gateway.name),
    },
    ...(onTokenError ? { onError: onTokenError } : {}),
  });
  try {
    const bootstrap = extraGatewayBootstrap({
      ...input,
      ...(token ? { tokenFile: token.tokenFile } : {}),
    });
    await writeFile(files.bootstrap, `${JSON.stringify(bootstrap, null, 2)}\n`, { mode: 0o600 });
  } catch (error) {
    token?.close();
    throw error;
  }
  return token;
}

/** NODE_OPTIONS that size a proxy's heap from the install's memory limit. */
export function proxyNodeOptions(
  env: Readonly<Record<string, string | undefined>>,
  heapMegabytes: number | undefined,
): Record<string, string | undefined> {
  if (heapMegabytes === undefined) return { ...env };
  const existing = env.NODE_OPTIONS ?? '';
  return { ...env, NODE_OPTIONS: `${existing} --max-old-space-size=${heapMegabytes}`.trim() };
}
