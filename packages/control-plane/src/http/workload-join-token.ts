// The join token returned with a workload registration, so that the workload's agent can ask the CA for its
// certificate as the registered namespace and service account.
import { identityProblem } from '../ca/workload-identity.ts';
import { CONTROL_PLANE_CODES } from '../errors.ts';
import { DEFAULT_SERVICE_ACCOUNT } from '../registry/from-workload-entry.ts';
import type { WorkloadRegistration } from '../registry/registration.ts';
import type { ApiContext } from './api-context.ts';
import { HttpError } from './http-error.ts';

/** `{joinToken}`, or nothing when the control plane runs without a CA. */
export async function workloadJoinToken(
  ctx: ApiContext,
  registration: WorkloadRegistration,
): Promise<{ joinToken?: string }> {
  if (!ctx.ca) return {};
  const identity = {
    namespace: registration.namespace,
    serviceAccount: registration.serviceAccount ?? DEFAULT_SERVICE_ACCOUNT,
  };
  const problem = identityProblem(identity);
  if (problem) throw new HttpError(400, CONTROL_PLANE_CODES.WORKLOAD_INVALID, problem);
  return { joinToken: (await ctx.ca.tokens.issue(identity)).token };
}
