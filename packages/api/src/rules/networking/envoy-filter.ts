// Semantic rules for EnvoyFilter: every patch says what it patches and how, matches fit the patched object,
// operations Istio's analyzer flags (IST0151–IST0155), typed configs, and how far Heddle's proxy follows.
import { COMMON_CODES, REGISTRY_CODES } from '../../findings/codes.ts';
import type { KindValidator, RuleContext } from '../../validate/rule-context.ts';
import { checkRe2 } from '../common/regex.ts';
import { checkLabels } from '../common/selector.ts';
import { checkPatchMatch } from './registry/envoy-filter-match.ts';
import { checkPatchOperations, type PatchView } from './registry/envoy-filter-operations.ts';
import { checkPatchValue } from './registry/envoy-filter-value.ts';
import { isSet, isStruct, listAt, stringAt, structAt } from './registry/read.ts';

export const validateEnvoyFilter: KindValidator = (ctx, spec) => {
  const selector = structAt(spec.workloadSelector);
  if (selector) {
    checkLabels(ctx, selector.labels ?? {}, ['spec', 'workloadSelector', 'labels'], {
      emptyWarning:
        'workloadSelector has no labels, so this EnvoyFilter applies to every workload in the namespace',
    });
    if (listAt(spec.targetRefs).length > 0) {
      ctx.error(
        COMMON_CODES.SELECTOR_WITH_TARGET_REF,
        ['spec', 'targetRefs'],
        'use either workloadSelector or targetRefs to choose where the patches apply, not both',
      );
    }
  }
  const patches: PatchView[] = [];
  listAt(spec.configPatches).forEach((raw, index) => {
    if (!isStruct(raw)) return;
    const patch = readPatch(ctx, raw, index);
    if (patch) patches.push(patch);
  });
  checkPatchOperations(ctx, spec, patches);
  const hasPatches = listAt(spec.configPatches).length > 0;
  ctx.info(
    REGISTRY_CODES.ENVOY_FILTER_PROXY_SUPPORT,
    hasPatches ? ['spec', 'configPatches'] : ['spec'],
    "Heddle's proxy applies EnvoyFilter patches only for the Envoy filters it implements; `heddle proxy-config` shows the configuration a workload actually received",
  );
};

/** Checks one patch's own fields; returns it when complete enough for the cross-patch rules. */
function readPatch(
  ctx: RuleContext,
  raw: Readonly<Record<string, unknown>>,
  index: number,
): PatchView | undefined {
  const path = ['spec', 'configPatches', index];
  const applyTo = stringAt(raw.applyTo) ?? 'INVALID';
  if (applyTo === 'INVALID') {
    ctx.error(
      COMMON_CODES.REQUIRED_FIELD,
      [...path, 'applyTo'],
      'applyTo is required: say what this patch changes (LISTENER, FILTER_CHAIN, NETWORK_FILTER, HTTP_FILTER, ROUTE_CONFIGURATION, VIRTUAL_HOST, HTTP_ROUTE, CLUSTER …)',
    );
    return undefined;
  }
  const patch = structAt(raw.patch);
  if (!patch) {
    ctx.error(
      COMMON_CODES.REQUIRED_FIELD,
      [...path, 'patch'],
      'patch is required: give an operation and, except for REMOVE, a value',
    );
    return undefined;
  }
  const operation = stringAt(patch.operation) ?? 'INVALID';
  if (operation === 'INVALID') {
    ctx.error(
      COMMON_CODES.REQUIRED_FIELD,
      [...path, 'patch', 'operation'],
      'patch.operation is required: MERGE, ADD, REMOVE, INSERT_BEFORE, INSERT_AFTER, INSERT_FIRST or REPLACE',
    );
    return undefined;
  }
  const value = structAt(patch.value);
  if (operation !== 'REMOVE' && !value) {
    ctx.error(
      COMMON_CODES.REQUIRED_FIELD,
      [...path, 'patch', 'value'],
      `operation ${operation} needs a value: the configuration to ${operation === 'MERGE' ? 'merge in' : 'insert'}`,
    );
    return undefined;
  }
  const match = structAt(raw.match);
  if (match) {
    const proxyVersion = structAt(match.proxy)?.proxyVersion;
    if (isSet(proxyVersion)) {
      const problem = checkRe2(proxyVersion);
      if (problem) {
        ctx.error(
          COMMON_CODES.REGEX_INVALID,
          [...path, 'match', 'proxy', 'proxyVersion'],
          `the proxyVersion regular expression ${problem}`,
        );
      }
    }
    checkPatchMatch(ctx, applyTo, match, [...path, 'match']);
  }
  const view: PatchView = { index, applyTo, operation, match, value };
  checkPatchValue(ctx, view, [...path, 'patch', 'value']);
  return view;
}
