// Finds one proxy's status by the names the control plane accepts: node id, connection id, workload.namespace.
import type { ProxyStatus } from '../client/api-types.ts';

/** The newest connection wins, as the control plane's own look-up does. */
export function findStatus(statuses: readonly ProxyStatus[], proxy: string): ProxyStatus | undefined {
  return statuses
    .filter(
      (status) =>
        status.proxy === proxy ||
        status.connectionId === proxy ||
        `${status.workload}.${status.namespace}` === proxy,
    )
    .at(-1);
}
