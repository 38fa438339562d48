// The node a stream announces must be the workload its token proves: the namespace and service account the
// translator will read from NAMESPACE / SERVICE_ACCOUNT (or their defaults) are compared with the token's.
import { status } from '@grpc/grpc-js';
import type { ProxyNode } from '@heddle/translate';
import { XDS_AUTH_CODES } from './xds-auth-codes.ts';
import { XdsAuthRefused, type XdsCaller } from './xds-caller.ts';

/** Throws XdsAuthRefused (PERMISSION_DENIED) when an authenticated caller claims another identity. */
export function checkNodeIdentity(caller: XdsCaller, node: ProxyNode): void {
  const identity = caller.identity;
  if (!identity) return;
  const claimed = `namespace "${node.namespace}", service account "${node.serviceAccount}"`;
  const proven = `namespace "${identity.namespace}", service account "${identity.serviceAccount}"`;
  if (node.namespace !== identity.namespace || node.serviceAccount !== identity.serviceAccount) {
    throw new XdsAuthRefused(
      XDS_AUTH_CODES.IDENTITY_MISMATCH,
      status.PERMISSION_DENIED,
      `node "${node.id}" claims ${claimed}, but its token is for ${proven}`,
    );
  }
}
