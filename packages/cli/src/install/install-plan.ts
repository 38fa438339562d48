// What an IstioOperator means on one machine: the control plane, the gateways, the meshConfig written as
// the `istio` ConfigMap, the sidecars' resource hints, and every setting that only applies on Kubernetes.
// Pure: the spec in, the plan out.
import { parseQuantity } from '@heddle/api';
import { profileDefaults } from './install-profiles.ts';

type Tree = Record<string, unknown>;

export type GatewayKind = 'ingress' | 'egress';

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number;
}

export interface GatewayPlan {
  readonly kind: GatewayKind;
  readonly name: string;
  readonly namespace: string;
  readonly enabled: boolean;
  readonly labels: Readonly<Record<string, string>>;
  /** The Kubernetes Service ports (`k8s.service.ports`); locally a gateway listens on its Gateway ports. */
  readonly servicePorts: readonly ServicePort[];
  /** The component's `k8s` block as written, for `manifest generate`. */
  readonly k8s: Readonly<Tree>;
}

export interface InstallPlan {
  /** metadata.name of the IstioOperator (`installed-state` when it has none). */
  readonly name: string;
  /** '' for the default revision. */
  readonly revision: string;
  readonly profile: string;
  readonly controlPlane: {
    /** Replicas run locally: one per revision (the embedded store serves one control plane). */
    readonly replicas: number;
    /** What the IstioOperator asks for (replicaCount, else hpaSpec.minReplicas), when it asks. */
    readonly requestedReplicas?: number;
    readonly k8s: Readonly<Tree>;
    readonly env: Readonly<Record<string, string>>;
  };
  readonly gateways: readonly GatewayPlan[];
  /** spec.meshConfig over the profile's, plus values.global.tracer.zipkin.address when meshConfig has none. */
  readonly meshConfig: Readonly<Tree>;
  readonly proxy: {
    readonly memoryLimitBytes?: number;
    /** `--max-old-space-size` of each proxy: three quarters of the memory limit. */
    readonly heapMegabytes?: number;
    readonly concurrency?: number;
    readonly resources?: Readonly<Tree>;
  };
  /** Settings that shape Kubernetes objects only, each once, as field paths. */
  readonly kubernetesOnly: readonly string[];
  /** Other settings without a local effect, each a sentence. */
  readonly notes: readonly string[];
  /** The merged spec, kept for `manifest generate` and `verify-install`. */
  readonly spec: Readonly<Tree>;
}

const KUBERNETES_ONLY_K8S = new Set([
  'affinity',
  'hpaSpec',
  'imagePullPolicy',
  'nodeSelector',
  'overlays',
  'podAnnotations',
  'podDisruptionBudget',
  'priorityClassName',
  'readinessProbe',
  'resources',
  'securityContext',
  'service',
  'serviceAnnotations',
  'strategy',
  'tolerations',
  'volumeMounts',
  'volumes',
  'env',
]);

/** Values Heddle reads itself; every other `values` leaf is reported as Kubernetes-only. */
const VALUES_READ = new Set([
  'global.proxy.resources.limits.memory',
  'global.tracer.zipkin.address',
  'pilot.env',
]);

const HEAP_SHARE = 0.75;
const MIB = 1024 * 1024;

export function planInstall(
  spec: Readonly<Tree>,
  metadataName: string | undefined,
  revisionOverride?: string,
): InstallPlan {
  const profile = typeof spec.profile === 'string' && spec.profile !== '' ? spec.profile : 'default';
  const defaults = profileDefaults(profile);
  const revision = revisionOverride ?? (typeof spec.revision === 'string' ? spec.revision : '');
  const components = tree(spec.components);
  const values = tree(spec.values);
  const kubernetesOnly: string[] = [];
  const notes: string[] = [];
  if (defaults.note) notes.push(defaults.note);

  const pilot = tree(components.pilot);
  const pilotK8s = tree(pilot.k8s);
  for (const field of Object.keys(pilotK8s))
    if (KUBERNETES_ONLY_K8S.has(field)) kubernetesOnly.push(`components.pilot.k8s.${field}`);
  const requestedReplicas = integer(pilotK8s.replicaCount) ?? integer(tree(pilotK8s.hpaSpec).minReplicas);
  if ((pilot.enabled ?? defaults.pilot) === false)
    notes.push('components.pilot is disabled; locally Heddle always runs its control plane');
  for (const name of Object.keys(components)) {
    if (!['pilot', 'ingressGateways', 'egressGateways', 'base'].includes(name))
      notes.push(`components.${name} is not run locally (it is a Kubernetes node or cluster component)`);
  }

  const gateways = [
    ...planGateways('ingress', components.ingressGateways, defaults.ingressGateway, kubernetesOnly),
    ...planGateways('egress', components.egressGateways, defaults.egressGateway, kubernetesOnly),
  ];

  const meshConfig: Tree = {
    ...structuredClone(defaults.meshConfig),
    ...structuredClone(tree(spec.meshConfig)),
  };
  const zipkin = dig(values, ['global', 'tracer', 'zipkin', 'address']);
  const defaultConfig = tree(meshConfig.defaultConfig);
  if (typeof zipkin === 'string' && dig(defaultConfig, ['tracing']) === undefined) {
    meshConfig.defaultConfig = { ...defaultConfig, tracing: { zipkin: { address: zipkin } } };
  }

  const proxyResources = dig(values, ['global', 'proxy', 'resources']);
  const memory = parseQuantity(dig(values, ['global', 'proxy', 'resources', 'limits', 'memory']))?.value;
  const concurrency = integer(defaultConfig.concurrency);
  const proxy = {
    ...(memory !== undefined && memory > 0
      ? { memoryLimitBytes: memory, heapMegabytes: Math.max(16, Math.floor((memory * HEAP_SHARE) / MIB)) }
      : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(proxyResources !== undefined ? { resources: tree(proxyResources) } : {}),
  };
  if (proxyResources !== undefined)
    kubernetesOnly.push('values.global.proxy.resources (except limits.memory)');
  for (const leaf of valueLeaves(values, '')) {
    const read = [...VALUES_READ].some(
      (field) => leaf === field || leaf.startsWith(`${field}.`) || field.startsWith(`${leaf}.`),
    );
    if (!read && !leaf.startsWith('global.proxy.resources')) kubernetesOnly.push(`values.${leaf}`);
  }
  const pilotEnv = stringMap(dig(values, ['pilot', 'env']));
  if (Object.keys(pilotEnv).length > 0)
    notes.push(
      `values.pilot.env (${Object.keys(pilotEnv).join(', ')}) sets istiod's environment on Kubernetes; locally set them in the environment of heddle up`,
    );
  return {
    name: metadataName ?? 'installed-state',
    revision,
    profile,
    controlPlane: {
      replicas: 1,
      ...(requestedReplicas !== undefined ? { requestedReplicas } : {}),
      k8s: pilotK8s,
      env: pilotEnv,
    },
    gateways,
    meshConfig,
    proxy,
    kubernetesOnly: [...new Set(kubernetesOnly)],
    notes,
    spec: structuredClone(spec),
  };
}

function planGateways(
  kind: GatewayKind,
  value: unknown,
  enabledByProfile: boolean,
  kubernetesOnly: string[],
): GatewayPlan[] {
  const defaultName = `istio-${kind}gateway`;
  const entries = Array.isArray(value) ? value.map(tree) : [];
  if (!entries.some((entry) => entry.name === defaultName) && enabledByProfile)
    entries.unshift({ name: defaultName, enabled: true });
  const list = `components.${kind}Gateways`;
  return entries.map((entry) => {
    const name = typeof entry.name === 'string' ? entry.name : defaultName;
    const k8s = tree(entry.k8s);
    for (const field of Object.keys(k8s))
      if (KUBERNETES_ONLY_K8S.has(field) || field === 'replicaCount')
        kubernetesOnly.push(`${list}[${name}].k8s.${field}`);
    const ports = Array.isArray(tree(k8s.service).ports) ? (tree(k8s.service).ports as unknown[]) : [];
    return {
      kind,
      name,
      namespace: typeof entry.namespace === 'string' ? entry.namespace : 'istio-system',
      // An entry without `enabled` is on, as in istioctl; the profile's own gateway follows the profile.
      enabled: typeof entry.enabled === 'boolean' ? entry.enabled : name !== defaultName || enabledByProfile,
      labels: {
        istio: `${kind}gateway`,
        app: name === defaultName ? defaultName : name,
        ...stringMap(entry.label),
      },
      servicePorts: ports.map(tree).flatMap((port) => {
        const number = integer(port.port);
        if (number === undefined) return [];
        const target = integer(port.targetPort);
        return [
          {
            ...(typeof port.name === 'string' ? { name: port.name } : {}),
            port: number,
            ...(target !== undefined ? { targetPort: target } : {}),
          },
        ];
      }),
      k8s,
    };
  });
}

function valueLeaves(value: Tree, at: string): string[] {
  const leaves: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = at === '' ? key : `${at}.${key}`;
    // Two levels deep says which setting it is without listing every field of a block.
    if (isTree(child) && path.split('.').length < 3 && !VALUES_READ.has(path))
      leaves.push(...valueLeaves(child, path));
    else leaves.push(path);
  }
  return leaves;
}

function tree(value: unknown): Tree {
  return isTree(value) ? value : {};
}

function isTree(value: unknown): value is Tree {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function dig(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isTree(current)) return undefined;
    current = current[key];
  }
  return current;
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(tree(value)).map(([key, entry]) => [key, String(entry)]));
}
