// References from a VirtualService (or one of its matches) to Gateways: `mesh`, `name` or `namespace/name`.
import { NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { isDns1123Label } from '../../common/values.ts';

export const MESH_GATEWAY = 'mesh';

export function checkGatewayRefs(ctx: RuleContext, refs: unknown, path: FieldPath): void {
  if (!Array.isArray(refs)) return;
  refs.forEach((ref: unknown, index) => {
    if (typeof ref !== 'string' || ref === MESH_GATEWAY) return;
    const at = [...path, index];
    const parts = ref.split('/');
    if (parts.length === 1) {
      if (isDns1123Label(ref)) return;
      const labels = ref.split('.');
      if (labels.length > 1 && labels.every(isDns1123Label)) {
        ctx.warn(
          NETWORKING_CODES.VS_GATEWAY_REF_LEGACY,
          at,
          `"${ref}" uses the old name.namespace form; write "${labels[1]}/${labels[0]}" (namespace/name) instead`,
        );
        return;
      }
      ctx.error(
        NETWORKING_CODES.VS_GATEWAY_REF_INVALID,
        at,
        `"${ref}" is not a Gateway reference; write "mesh", a Gateway name in this namespace, or "namespace/name"`,
      );
      return;
    }
    const [namespace = '', name = ''] = parts;
    if (parts.length > 2 || namespace === '' || name === '') {
      ctx.error(
        NETWORKING_CODES.VS_GATEWAY_REF_INVALID,
        at,
        `"${ref}" is not a Gateway reference; write "namespace/name" with exactly one "/" and both parts set`,
      );
    } else if (!isDns1123Label(namespace)) {
      ctx.error(
        NETWORKING_CODES.VS_GATEWAY_REF_INVALID,
        at,
        `"${namespace}" is not a valid namespace; use lower-case letters, digits and "-"`,
      );
    } else if (!isDns1123Label(name)) {
      ctx.error(
        NETWORKING_CODES.VS_GATEWAY_REF_INVALID,
        at,
        `"${name}" is not a valid Gateway name; use lower-case letters, digits and "-"`,
      );
    }
  });
}
