// The pod template of a workload: canonical service labels, the injection annotation, and containers.
import { COMMON_CODES, INSTALL_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { checkMap, describeValue, isRecord } from '../../mesh/field-checks.ts';
import { labelKeyProblem, labelValueProblem } from '../common/selector.ts';
import { checkContainers, checkRunAsUser } from './containers.ts';

export const INJECT_KEY = 'sidecar.istio.io/inject';

const NAME_LABELS = ['service.istio.io/canonical-name', 'app.kubernetes.io/name', 'app'];
const REVISION_LABELS = ['service.istio.io/canonical-revision', 'app.kubernetes.io/version', 'version'];

/** Checks a pod template; returns its labels (for selector matching). */
export function checkPodTemplate(
  ctx: RuleContext,
  template: unknown,
  path: FieldPath,
): Record<string, unknown> {
  if (template === undefined) {
    ctx.error(COMMON_CODES.REQUIRED_FIELD, path, 'a Deployment needs a pod template');
    return {};
  }
  if (!checkMap(ctx, template, path)) return {};
  const metadata = isRecord(template.metadata) ? template.metadata : {};
  const labels = isRecord(metadata.labels) ? metadata.labels : {};
  const labelsPath = [...path, 'metadata', 'labels'];
  checkLabelSyntax(ctx, labels, labelsPath);
  checkCanonicalLabels(ctx, labels, metadata.labels === undefined ? [...path, 'metadata'] : labelsPath);
  checkInjectValue(ctx, labels[INJECT_KEY], [...labelsPath, INJECT_KEY]);
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  checkInjectValue(ctx, annotations[INJECT_KEY], [...path, 'metadata', 'annotations', INJECT_KEY]);
  const spec = isRecord(template.spec) ? template.spec : undefined;
  if (!spec) {
    ctx.error(
      COMMON_CODES.REQUIRED_FIELD,
      [...path, 'spec'],
      'the pod template needs a spec with containers',
    );
    return labels;
  }
  checkRunAsUser(ctx, spec.securityContext, [...path, 'spec', 'securityContext']);
  checkContainers(ctx, spec.containers, [...path, 'spec', 'containers'], true);
  checkContainers(ctx, spec.initContainers, [...path, 'spec', 'initContainers'], false);
  return labels;
}

function checkLabelSyntax(
  ctx: RuleContext,
  labels: Readonly<Record<string, unknown>>,
  path: FieldPath,
): void {
  for (const [key, value] of Object.entries(labels)) {
    if (key === INJECT_KEY) continue; // checkInjectValue explains this one
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem) ctx.error(COMMON_CODES.LABEL_INVALID, [...path, key], problem);
  }
}

function checkCanonicalLabels(
  ctx: RuleContext,
  labels: Readonly<Record<string, unknown>>,
  path: FieldPath,
): void {
  const missing: string[] = [];
  if (!NAME_LABELS.some((label) => labels[label] !== undefined)) missing.push('app');
  if (!REVISION_LABELS.some((label) => labels[label] !== undefined)) missing.push('version');
  if (missing.length === 0) return;
  ctx.info(
    INSTALL_CODES.DEPLOYMENT_CANONICAL_LABELS_MISSING,
    path,
    `the pod labels have no ${missing.join(' or ')} label: the mesh names the workload's canonical service from "app" and its revision from "version" (used in metrics, traces and subsets), so add ${missing.map((label) => `${label}: …`).join(' and ')}`,
  );
}

export function checkInjectValue(ctx: RuleContext, value: unknown, path: FieldPath): void {
  if (value === undefined || value === 'true' || value === 'false') return;
  const hint = value === true || value === false ? ` (quote it: "${String(value)}")` : '';
  ctx.warn(
    COMMON_CODES.ANNOTATION_INVALID,
    path,
    `${INJECT_KEY} is "true" or "false", not ${describeValue(value)}${hint}`,
  );
}
