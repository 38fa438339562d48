// What `heddle install` prints: what the IstioOperator changed on this machine, and what it only means on
// Kubernetes (accepted, each said once). Pure: the plan in, lines out.
import type { GatewayPlan, InstallPlan } from './install-plan.ts';
import { CONTROL_PLANE_NAMESPACE, meshConfigMapName } from './mesh-config-map.ts';
import { describeRevision } from './install-state.ts';

export interface ReportContext {
  /** `file:line` of each IstioOperator. */
  readonly origins: readonly string[];
  /** Documents install did not read. */
  readonly ignored: readonly string[];
}

const MIB = 1024 * 1024;

export function installReport(plan: InstallPlan, context: ReportContext): string[] {
  const from = context.origins.length > 0 ? ` from ${context.origins.join(', ')}` : '';
  const lines = [
    `IstioOperator ${plan.name}${from}: profile ${plan.profile}, ${describeRevision(plan.revision)}`,
    'Applies on this machine:',
    `  control plane     ${controlPlaneLine(plan)}`,
    ...plan.gateways.map((gateway) => `  ${`${gateway.kind} gateway`.padEnd(17)} ${gatewayLine(gateway)}`),
    `  meshConfig        ConfigMap ${CONTROL_PLANE_NAMESPACE}/${meshConfigMapName(plan.revision)}${Object.keys(plan.meshConfig).length === 0 ? ' (Istio defaults)' : ''}`,
    ...meshConfigLines(plan.meshConfig).map((line) => `                      ${line}`),
  ];
  if (plan.proxy.heapMegabytes !== undefined && plan.proxy.memoryLimitBytes !== undefined)
    lines.push(
      `  proxy heap        --max-old-space-size=${plan.proxy.heapMegabytes} for sidecars and gateways (75% of the ${formatMebibytes(plan.proxy.memoryLimitBytes)} memory limit)`,
    );
  if (plan.proxy.concurrency !== undefined)
    lines.push(
      `  proxy workers     ${plan.proxy.concurrency} (defaultConfig.concurrency, at each proxy's start)`,
    );
  if (plan.kubernetesOnly.length > 0) {
    lines.push('Applies on Kubernetes (accepted; not used on this machine):');
    for (const field of plan.kubernetesOnly) lines.push(`  ${field}`);
  }
  const notes = [
    ...plan.notes,
    ...context.ignored.map((document) => `${document} is not an IstioOperator; apply it with heddle apply`),
  ];
  if (notes.length > 0) {
    lines.push('Notes:');
    for (const note of notes) lines.push(`  ${note}`);
  }
  return lines;
}

function controlPlaneLine(plan: InstallPlan): string {
  const name = plan.revision === '' ? 'istiod' : `istiod-${plan.revision}`;
  const requested = plan.controlPlane.requestedReplicas;
  if (requested === undefined || requested <= 1) return `${name}, 1 replica`;
  return `${name}, 1 replica (the IstioOperator asks for ${requested}: replicas apply on Kubernetes/etcd; the embedded SQLite store serves one control plane per revision)`;
}

function gatewayLine(gateway: GatewayPlan): string {
  const labels = Object.entries(gateway.labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  if (!gateway.enabled) {
    const builtIn = gateway.name === 'istio-ingressgateway' && gateway.namespace === 'istio-system';
    return `${gateway.name}.${gateway.namespace}: disabled${builtIn ? " (heddle up's own ingress gateway keeps running; it serves only the Gateway resources that select it)" : ''}`;
  }
  return `${gateway.name}.${gateway.namespace} (labels ${labels}): listens on the ports of the Gateway resources that select it`;
}

/** `path: value` per leaf, maps flattened with dots, long or multi-line values shortened. */
export function meshConfigLines(meshConfig: Readonly<Record<string, unknown>>, at = ''): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(meshConfig)) {
    const path = at === '' ? key : `${at}.${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      lines.push(...meshConfigLines(value as Record<string, unknown>, path));
    else lines.push(`${path}: ${shorten(value)}`);
  }
  return lines;
}

function shorten(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const first = text.split('\n')[0] ?? '';
  const cut = first.length > 72 ? `${first.slice(0, 72)}…` : first;
  return cut === text ? (text === '' ? '""' : text) : `${cut}${cut.endsWith('…') ? '' : ' …'}`;
}

function formatMebibytes(bytes: number): string {
  const mib = bytes / MIB;
  return mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024}Gi` : `${Math.round(mib)}Mi`;
}
