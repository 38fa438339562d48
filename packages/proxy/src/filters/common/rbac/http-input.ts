// The AuthorizationInput of an HTTP request: the canonical headers and path the router also uses, the
// connection's identity and addresses, and the metadata earlier filters (jwt_authn) wrote.
import { firstValue, type HeaderMap } from '../../../http/headers.ts';
import type { DownstreamConnectionInfo } from '../../../http/http-connection-handler.ts';
import type { StreamInfo } from '../../../http/stream-info.ts';
import { parseIp } from '../../../listener/cidr.ts';
import type { AuthorizationInput } from './authorization-input.ts';

/** The path policy sees: `:path` without its query (the canonicalizer already removed the fragment). */
export function policyPath(headers: HeaderMap): string {
  const full = firstValue(headers, ':path') ?? '/';
  const q = full.indexOf('?');
  return q < 0 ? full : full.slice(0, q);
}

/** Addresses and identity of a connection, shared by the HTTP and TCP inputs. */
export function connectionInput(
  connection: DownstreamConnectionInfo,
): Pick<AuthorizationInput, 'connection' | 'directRemoteIp' | 'destinationIp' | 'destinationPort'> {
  const destination = connection.originalDestination;
  return {
    connection,
    directRemoteIp: parseIp(connection.remoteAddress),
    destinationIp: parseIp(destination?.address ?? connection.localAddress),
    destinationPort: destination?.port ?? connection.localPort,
  };
}

export function httpAuthorizationInput(headers: HeaderMap, info: StreamInfo): AuthorizationInput {
  return {
    ...connectionInput(info.downstream),
    headers,
    path: policyPath(headers),
    remoteIp: parseIp(info.downstreamRemoteAddress),
    dynamicMetadata: info.dynamicMetadata,
  };
}

/** Adds keys to a filter's dynamic metadata: several filters of one kind (Istio's rbac chain) share a name. */
export function mergeDynamicMetadata(
  info: StreamInfo,
  filter: string,
  values: Record<string, unknown>,
): void {
  const existing = info.dynamicMetadata.get(filter);
  info.dynamicMetadata.set(filter, existing ? { ...existing, ...values } : values);
}
