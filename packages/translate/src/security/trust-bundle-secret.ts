// The mesh trust bundle as the SDS secret `ROOTCA` that every TLS context of the proxy validates peers with.
import { create } from '@bufbuild/protobuf';
import {
  SecretSchema,
  type Secret,
} from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.ts';
import { ROOT_CA_SECRET } from '../cluster/sds-secret.ts';
import type { MeshSnapshot } from '../model/mesh-snapshot.ts';

/** Empty when the snapshot carries no bundle (no CA): the proxy's own agent may then provide ROOTCA. */
export function trustBundleSecrets(snapshot: MeshSnapshot): Secret[] {
  if (!snapshot.trustBundle) return [];
  return [
    create(SecretSchema, {
      name: ROOT_CA_SECRET,
      type: {
        case: 'validationContext',
        value: { trustedCa: { specifier: { case: 'inlineString', value: snapshot.trustBundle } } },
      },
    }),
  ];
}
