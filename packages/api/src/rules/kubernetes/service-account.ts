// Checks for v1 ServiceAccount: the account is a workload identity, so show the SPIFFE ID it becomes.
import { INSTALL_CODES } from '../../findings/codes.ts';
import type { KindValidator } from '../../validate/rule-context.ts';
import { DEFAULT_MESH_CONFIG } from '../../mesh/default-mesh-config.ts';
import { isRecord } from '../../mesh/field-checks.ts';

export const validateServiceAccount: KindValidator = (ctx) => {
  const metadata = isRecord(ctx.object.metadata) ? ctx.object.metadata : {};
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') return; // metadata checks already reported it
  const trustDomain = DEFAULT_MESH_CONFIG.trustDomain ?? 'cluster.local';
  ctx.info(
    INSTALL_CODES.SERVICE_ACCOUNT_IDENTITY,
    ['metadata', 'name'],
    `workloads running as this account get the identity spiffe://${trustDomain}/ns/${ctx.namespace}/sa/${name} (with the default trust domain); AuthorizationPolicy principals refer to it as ${trustDomain}/ns/${ctx.namespace}/sa/${name}`,
  );
};
