// The meshConfig of an install as the ConfigMap istiod reads: `istio` for the default revision, `istio-<rev>`
// for a revision, in istio-system, with the meshConfig YAML under `data.mesh`.
import { stringify } from 'yaml';
import type { InstallPlan } from './install-plan.ts';

export const CONTROL_PLANE_NAMESPACE = 'istio-system';

export function meshConfigMapName(revision: string): string {
  return revision === '' ? 'istio' : `istio-${revision}`;
}

export function meshConfigText(plan: InstallPlan): string {
  return Object.keys(plan.meshConfig).length === 0 ? '{}\n' : stringify(plan.meshConfig);
}

export function meshConfigMapYaml(plan: InstallPlan): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: meshConfigMapName(plan.revision),
      namespace: CONTROL_PLANE_NAMESPACE,
      labels: {
        'istio.io/rev': revisionLabel(plan.revision),
        'install.operator.istio.io/owning-resource': plan.name,
      },
    },
    data: { mesh: meshConfigText(plan) },
  });
}

/** `default` for the default revision, as istioctl labels it. */
export function revisionLabel(revision: string): string {
  return revision === '' ? 'default' : revision;
}
