// IstioOperator `components`: known component names, gateway entries, and each component's k8s block.
import { COMMON_CODES, INSTALL_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { checkBoolean, checkList, checkMap, checkString, checkUnknownKeys } from '../../mesh/field-checks.ts';
import { checkLabels } from '../common/selector.ts';
import { closestName, isDns1123Label, isDns1123Subdomain } from '../common/values.ts';
import { checkK8sSettings, type K8sSummary } from './kubernetes-settings.ts';

const SINGLE_COMPONENTS: readonly string[] = ['base', 'pilot', 'cni', 'ztunnel', 'istiodRemote'];
const GATEWAY_COMPONENTS: readonly string[] = ['ingressGateways', 'egressGateways'];
const COMPONENTS: readonly string[] = [...SINGLE_COMPONENTS, ...GATEWAY_COMPONENTS];

const COMPONENT_FIELDS: readonly string[] = ['enabled', 'namespace', 'hub', 'tag', 'k8s', 'spec'];
const GATEWAY_FIELDS: readonly string[] = ['name', 'label', 'namespace', 'enabled', 'hub', 'tag', 'k8s'];

const MERGED_INTO_ISTIOD =
  'was merged into istiod in Istio 1.5; configure the control plane under components.pilot instead';
const MIXER_COMPONENT =
  'was part of Mixer, removed in Istio 1.8; metrics and policy now run in the proxy (Telemetry API, AuthorizationPolicy)';

const REMOVED_COMPONENTS: Readonly<Record<string, string>> = {
  citadel: MERGED_INTO_ISTIOD,
  galley: MERGED_INTO_ISTIOD,
  sidecarInjector: MERGED_INTO_ISTIOD,
  nodeAgent: MERGED_INTO_ISTIOD,
  policy: MIXER_COMPONENT,
  telemetry: MIXER_COMPONENT,
};

export function checkComponents(ctx: RuleContext, value: unknown, summary: K8sSummary): void {
  const path = ['spec', 'components'];
  if (value === undefined || value === null || !checkMap(ctx, value, path)) return;
  for (const [name, component] of Object.entries(value)) {
    const componentPath = [...path, name];
    const removed = REMOVED_COMPONENTS[name];
    if (removed) {
      ctx.error(INSTALL_CODES.COMPONENT_REMOVED, componentPath, `the "${name}" component ${removed}`);
      continue;
    }
    if (GATEWAY_COMPONENTS.includes(name)) {
      checkGateways(ctx, component, componentPath, name, summary);
    } else if (SINGLE_COMPONENTS.includes(name)) {
      checkComponent(ctx, component, componentPath, name, summary);
    } else {
      const suggestion = closestName(name, COMPONENTS);
      ctx.error(
        INSTALL_CODES.COMPONENT_UNKNOWN,
        componentPath,
        `"${name}" is not a component${suggestion ? `; did you mean "${suggestion}"?` : `; the components are ${COMPONENTS.join(', ')}`}`,
      );
    }
  }
}

function checkComponent(
  ctx: RuleContext,
  value: unknown,
  path: FieldPath,
  name: string,
  summary: K8sSummary,
): void {
  if (value === null || !checkMap(ctx, value, path)) return;
  checkUnknownKeys(ctx, value, path, COMPONENT_FIELDS, { owner: `components.${name}` });
  checkCommonFields(ctx, value, path);
  checkK8sSettings(ctx, value.k8s, [...path, 'k8s'], name, summary);
}

function checkGateways(
  ctx: RuleContext,
  value: unknown,
  path: FieldPath,
  kind: string,
  summary: K8sSummary,
): void {
  if (value === null || !checkList(ctx, value, path)) return;
  const names = new Set<string>();
  value.forEach((gateway, index) => {
    const gatewayPath = [...path, index];
    if (!checkMap(ctx, gateway, gatewayPath)) return;
    checkUnknownKeys(ctx, gateway, gatewayPath, GATEWAY_FIELDS, { owner: `a ${kind} entry` });
    const name = gateway.name;
    if (name === undefined || name === '') {
      ctx.error(
        COMMON_CODES.REQUIRED_FIELD,
        [...gatewayPath, 'name'],
        `every ${kind} entry needs a name, e.g. istio-${kind === 'ingressGateways' ? 'ingress' : 'egress'}gateway`,
      );
    } else if (checkString(ctx, name, [...gatewayPath, 'name'])) {
      if (!isDns1123Subdomain(name)) {
        ctx.error(
          COMMON_CODES.NAME_INVALID,
          [...gatewayPath, 'name'],
          `"${name}" is not a valid gateway name; use lower-case letters, digits and "-"`,
        );
      } else if (names.has(name)) {
        ctx.error(
          COMMON_CODES.DUPLICATE_ENTRY,
          [...gatewayPath, 'name'],
          `another ${kind} entry is named "${name}"`,
        );
      }
      names.add(name);
    }
    if (gateway.label !== undefined) checkLabels(ctx, gateway.label, [...gatewayPath, 'label']);
    checkCommonFields(ctx, gateway, gatewayPath);
    const label = typeof name === 'string' && name !== '' ? `${kind} ${name}` : `${kind}[${index}]`;
    checkK8sSettings(ctx, gateway.k8s, [...gatewayPath, 'k8s'], label, summary);
  });
}

function checkCommonFields(
  ctx: RuleContext,
  value: Readonly<Record<string, unknown>>,
  path: FieldPath,
): void {
  if (value.enabled !== undefined) checkBoolean(ctx, value.enabled, [...path, 'enabled']);
  const namespace = value.namespace;
  if (
    namespace !== undefined &&
    checkString(ctx, namespace, [...path, 'namespace']) &&
    !isDns1123Label(namespace)
  ) {
    ctx.error(COMMON_CODES.NAME_INVALID, [...path, 'namespace'], `"${namespace}" is not a namespace name`);
  }
  if (value.hub !== undefined) checkString(ctx, value.hub, [...path, 'hub']);
}
