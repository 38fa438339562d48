// Semantic rules for IstioOperator (install.istio.io): profile, revision, components, values and the
// meshConfig inside it. The CRD has no schema for spec, so field names are checked here.
import { INSTALL_CODES } from '../../findings/codes.ts';
import type { KindValidator, RuleContext } from '../../validate/rule-context.ts';
import { checkMap, checkString, checkUnknownKeys, isRecord } from '../../mesh/field-checks.ts';
import { checkMeshConfig } from '../../mesh/validate-mesh-config.ts';
import { checkComponents } from './components.ts';
import type { K8sSummary } from './kubernetes-settings.ts';
import { checkProfile, checkRevision } from './profile.ts';
import { checkValues } from './values.ts';

const SPEC_FIELDS: readonly string[] = [
  'profile',
  'installPackagePath',
  'hub',
  'tag',
  'resourceSuffix',
  'namespace',
  'revision',
  'compatibilityVersion',
  'meshConfig',
  'components',
  'values',
  'unvalidatedValues',
];

export const validateIstioOperator: KindValidator = (ctx, spec) => {
  const { addonComponents, ...rest } = spec;
  checkUnknownKeys(ctx, rest, ['spec'], SPEC_FIELDS, { owner: 'IstioOperator spec' });
  if (addonComponents !== undefined) checkAddonComponents(ctx, addonComponents);
  checkProfile(ctx, spec.profile);
  checkRevision(ctx, spec.revision);
  if (spec.hub !== undefined) checkString(ctx, spec.hub, ['spec', 'hub']);
  if (spec.installPackagePath !== undefined) {
    ctx.warn(
      INSTALL_CODES.FIELD_NOT_USED,
      ['spec', 'installPackagePath'],
      'installPackagePath is deprecated in Istio and not used by Heddle, which installs from its own release; remove it',
    );
  }
  const summary: K8sSummary = { kubernetesOnly: [] };
  checkComponents(ctx, spec.components, summary);
  reportKubernetesOnly(ctx, summary);
  checkValues(ctx, spec.values);
  if (spec.unvalidatedValues !== undefined)
    checkMap(ctx, spec.unvalidatedValues, ['spec', 'unvalidatedValues']);
  checkMeshConfig(ctx, spec.meshConfig, ['spec', 'meshConfig']);
};

function checkAddonComponents(ctx: RuleContext, value: unknown): void {
  const addons = isRecord(value) ? Object.keys(value) : [];
  const listed = addons.length > 0 ? ` (${addons.join(', ')})` : '';
  ctx.error(
    INSTALL_CODES.ADDON_COMPONENTS_REMOVED,
    ['spec', 'addonComponents'],
    `addonComponents${listed} was removed from IstioOperator (deprecated in Istio 1.7, gone in 1.8): Grafana, Kiali, tracing and Prometheus are installed separately now. Heddle has a built-in dashboard ("heddle dashboard") and a built-in Zipkin-compatible trace collector, so remove this block`,
  );
}

/** One Info per resource, so a production IstioOperator does not drown in per-field notes. */
function reportKubernetesOnly(ctx: RuleContext, summary: K8sSummary): void {
  const first = summary.kubernetesOnly[0];
  const replicas = summary.controlPlaneReplicas;
  if (!first && !replicas) return;
  const sentences: string[] = [];
  if (first) {
    const byComponent = new Map<string, string[]>();
    for (const setting of summary.kubernetesOnly) {
      const fields = byComponent.get(setting.component) ?? [];
      if (!fields.includes(setting.field)) fields.push(setting.field);
      byComponent.set(setting.component, fields);
    }
    const list = [...byComponent]
      .map(([component, fields]) => `${component}: ${fields.join(', ')}`)
      .join('; ');
    sentences.push(
      `these settings apply on Kubernetes only (${list}); in local and multi-host mode Heddle uses none of them: it runs the control plane and gateways as processes on the hosts you start them on, and gateways listen on the ports of your Gateway resources`,
    );
  }
  if (replicas) {
    sentences.push(
      'pilot replicaCount is used everywhere: on Kubernetes as istiod replicas, in local and multi-host mode as the number of control-plane replicas',
    );
  }
  ctx.info(INSTALL_CODES.KUBERNETES_ONLY, first?.path ?? replicas ?? ['spec'], sentences.join('. '));
}
