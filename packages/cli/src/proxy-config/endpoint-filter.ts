// istioctl's endpoint filters: the cluster name contains --cluster; address, port and health status equal.
// Load assignments keep only the endpoints that pass, and drop out when none does.
import type { ConfigFilters } from './config-filters.ts';
import { at, integer, list, record, text } from './json-fields.ts';

export function filterEndpoints(assignments: readonly unknown[], filters: ConfigFilters): unknown[] {
  const { cluster, address, port, status } = filters;
  if (cluster === undefined && address === undefined && port === undefined && status === undefined)
    return [...assignments];
  return assignments.flatMap((assignment) => {
    if (cluster !== undefined && !(text(assignment, 'clusterName') ?? '').includes(cluster)) return [];
    const localities = list(assignment, 'endpoints')
      .map((locality) => ({
        ...record(locality),
        lbEndpoints: list(locality, 'lbEndpoints').filter((lbEndpoint) => {
          const socket = at(lbEndpoint, 'endpoint', 'address', 'socketAddress');
          return (
            (address === undefined || text(socket, 'address') === address) &&
            (port === undefined || integer(socket, 'portValue') === port) &&
            (status === undefined || healthOf(lbEndpoint) === status.toUpperCase())
          );
        }),
      }))
      .filter((locality) => locality.lbEndpoints.length > 0);
    return localities.length > 0 ? [{ ...record(assignment), endpoints: localities }] : [];
  });
}

/** An endpoint sent without a health status counts as healthy, as in Envoy. */
export function healthOf(lbEndpoint: unknown): string {
  const status = text(lbEndpoint, 'healthStatus');
  return status === undefined || status === 'UNKNOWN' ? 'HEALTHY' : status;
}
