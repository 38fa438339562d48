// What an RBAC policy looks at, for an HTTP request or a TCP connection: the same shape for both engines so
// one compiled policy serves the HTTP and the network filter.
import type { HeaderMap } from '../../../http/headers.ts';
import type { DownstreamConnectionInfo } from '../../../http/http-connection-handler.ts';
import type { IpAddress } from '../../../listener/cidr.ts';
import type { DynamicMetadata } from '../../../http/routing/metadata-matcher.ts';

export interface AuthorizationInput {
  /** Canonical request headers; an empty map on TCP (header rules then see no header at all). */
  readonly headers: HeaderMap;
  /** Canonical path without query or fragment; undefined on TCP, where path rules never match. */
  readonly path: string | undefined;
  readonly connection: DownstreamConnectionInfo;
  /** The peer of the connection. */
  readonly directRemoteIp: IpAddress | undefined;
  /** The client after X-Forwarded-For processing (equal to the direct peer on TCP). */
  readonly remoteIp: IpAddress | undefined;
  /** The address the client connected to (the original destination when it was redirected). */
  readonly destinationIp: IpAddress | undefined;
  readonly destinationPort: number;
  readonly dynamicMetadata: DynamicMetadata;
}

export type AuthorizationPredicate = (input: AuthorizationInput) => boolean;
