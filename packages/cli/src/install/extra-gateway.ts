// A gateway an IstioOperator asks for beyond heddle up's own ingress gateway (the egress gateway, or more
// ingress gateways): Heddle's proxy with that gateway's identity and labels, its xDS through a relay so it can
// follow a revision, its Gateway ports below 1024 moved up by an offset of its own.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sendHttpRequest } from '../client/http-request.ts';
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
      },
    },
    controlPlane: { addresses: [input.xdsAddress] },
    admin: { address: input.address, port: input.adminPort },
    health: { address: input.address, port: input.healthPort },
    drainTimeout: '5s',
    ...(input.concurrency !== undefined ? { concurrency: input.concurrency } : {}),
    ...(input.tokenFile !== undefined ? { ca: { tokenFile: input.tokenFile } } : {}),
  };
}

/** Writes the bootstrap, with a join token when the control plane runs a CA. */
export async function writeExtraGatewayFiles(
  files: ExtraGatewayFiles,
  controlPlaneUrl: string,
  input: Omit<ExtraGatewayBootstrapInput, 'tokenFile'>,
): Promise<void> {
  await mkdir(files.dir, { recursive: true });
  const token = await joinToken(controlPlaneUrl, input.gateway);
  if (token !== undefined) await writeFile(files.token, `${token}\n`, { mode: 0o600 });
  const bootstrap = extraGatewayBootstrap({
    ...input,
    ...(token !== undefined ? { tokenFile: files.token } : {}),
  });
  await writeFile(files.bootstrap, `${JSON.stringify(bootstrap, null, 2)}\n`, { mode: 0o600 });
}

async function joinToken(controlPlaneUrl: string, gateway: GatewayPlan): Promise<string | undefined> {
  const response = await sendHttpRequest({
    method: 'POST',
    url: new URL(`${controlPlaneUrl}/apis/v1/tokens`),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      namespace: gateway.namespace,
      serviceAccount: gatewayServiceAccount(gateway.name),
    }),
    timeoutMs: 10_000,
  });
  if (response.status !== 201) return undefined;
  const token = (JSON.parse(response.body) as { token?: unknown }).token;
  return typeof token === 'string' && token !== '' ? token : undefined;
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
