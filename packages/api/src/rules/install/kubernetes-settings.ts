// The `k8s` block of an IstioOperator component: known fields, resource quantities, and which settings
// only mean something on Kubernetes.
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { checkInteger, checkMap, checkUnknownKeys } from '../../mesh/field-checks.ts';
import { COMMON_CODES } from '../../findings/codes.ts';
import { checkResources } from './resources.ts';

/** Settings that shape Kubernetes objects (Deployment, HPA, PDB, Service) and nothing else. */
const KUBERNETES_ONLY_FIELDS: readonly string[] = [
  'affinity',
  'hpaSpec',
  'imagePullPolicy',
  'nodeSelector',
  'overlays',
  'podAnnotations',
  'podDisruptionBudget',
  'priorityClassName',
  'readinessProbe',
  'securityContext',
  'service',
  'serviceAnnotations',
  'strategy',
  'tolerations',
  'volumeMounts',
  'volumes',
];

const K8S_FIELDS: readonly string[] = [...KUBERNETES_ONLY_FIELDS, 'env', 'replicaCount', 'resources'];

const K8S_GUIDANCE: Readonly<Record<string, string>> = {
  replicas: 'k8s has no "replicas"; the field is "replicaCount"',
  resource: 'k8s has no "resource"; the field is "resources" (requests and limits)',
  hpa: 'k8s has no "hpa"; the field is "hpaSpec"',
  pdb: 'k8s has no "pdb"; the field is "podDisruptionBudget"',
  annotations: 'k8s has no "annotations"; use "podAnnotations" or "serviceAnnotations"',
};

/** One Kubernetes-only setting found in a component, for the summary finding. */
export interface KubernetesOnlySetting {
  /** How the user names the component: `pilot`, `ingressGateways istio-ingressgateway`. */
  readonly component: string;
  readonly field: string;
  readonly path: FieldPath;
}

export interface K8sSummary {
  readonly kubernetesOnly: KubernetesOnlySetting[];
  /** Path of `replicaCount` on the control plane, which Heddle also uses outside Kubernetes. */
  controlPlaneReplicas?: FieldPath;
}

export function checkK8sSettings(
  ctx: RuleContext,
  value: unknown,
  path: FieldPath,
  component: string,
  summary: K8sSummary,
): void {
  if (value === undefined || value === null || !checkMap(ctx, value, path)) return;
  checkUnknownKeys(ctx, value, path, K8S_FIELDS, { guidance: K8S_GUIDANCE, owner: 'k8s' });
  for (const field of Object.keys(value)) {
    if (KUBERNETES_ONLY_FIELDS.includes(field))
      summary.kubernetesOnly.push({ component, field, path: [...path, field] });
  }
  if (value.resources !== undefined) checkResources(ctx, value.resources, [...path, 'resources']);
  const replicas = value.replicaCount;
  if (replicas !== undefined && checkInteger(ctx, replicas, [...path, 'replicaCount'])) {
    if (replicas < 0) {
      ctx.error(COMMON_CODES.SCHEMA_TYPE, [...path, 'replicaCount'], 'replicaCount cannot be negative');
    } else if (component === 'pilot') {
      summary.controlPlaneReplicas = [...path, 'replicaCount'];
    } else {
      summary.kubernetesOnly.push({ component, field: 'replicaCount', path: [...path, 'replicaCount'] });
    }
  }
}
