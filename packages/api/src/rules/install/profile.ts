// IstioOperator `profile` and `revision`: a built-in profile name and a DNS-1123 revision label.
import { INSTALL_CODES } from '../../findings/codes.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { checkString } from '../../mesh/field-checks.ts';
import { closestName, isDns1123Label } from '../common/values.ts';

/** Istio's built-in installation profiles. */
export const BUILT_IN_PROFILES: readonly string[] = [
  'default',
  'demo',
  'minimal',
  'remote',
  'external',
  'empty',
  'preview',
  'ambient',
  'stable',
  'openshift',
  'openshift-ambient',
];

export function checkProfile(ctx: RuleContext, value: unknown): void {
  const path = ['spec', 'profile'];
  if (value === undefined || !checkString(ctx, value, path) || BUILT_IN_PROFILES.includes(value)) return;
  const list = BUILT_IN_PROFILES.join(', ');
  if (value.includes('/') || /\.ya?ml$/.test(value)) {
    ctx.error(
      INSTALL_CODES.PROFILE_UNKNOWN,
      path,
      `Heddle only knows the built-in profiles (${list}); instead of a profile file, pick the closest built-in profile and copy your settings into this IstioOperator`,
    );
    return;
  }
  const suggestion = closestName(value, BUILT_IN_PROFILES);
  const advice = suggestion
    ? `did you mean "${suggestion}"?`
    : 'for production use "default" and set replicas, resources and mTLS explicitly in this file';
  ctx.error(
    INSTALL_CODES.PROFILE_UNKNOWN,
    path,
    `"${value}" is not an installation profile; the built-in profiles are ${list}; ${advice}`,
  );
}

export function checkRevision(ctx: RuleContext, value: unknown): void {
  const path = ['spec', 'revision'];
  if (value === undefined) return;
  if (typeof value === 'number') {
    ctx.error(
      INSTALL_CODES.REVISION_INVALID,
      path,
      `a revision is a name, not a number; write it as a quoted label such as "${String(value).replace('.', '-')}"`,
    );
    return;
  }
  if (!checkString(ctx, value, path) || value === '' || isDns1123Label(value)) return;
  const dashed = value.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  ctx.error(
    INSTALL_CODES.REVISION_INVALID,
    path,
    `"${value}" is not a valid revision: use lower-case letters, digits and "-" (at most 63), e.g. "${dashed}"`,
  );
}
