// Istio's cluster metadata (`filter_metadata.istio`): the service, subset, port and the DestinationRule,
// which telemetry and `proxy-config` read back.
import type { JsonObject, MessageInitShape } from '@bufbuild/protobuf';
import type { MetadataSchema } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import type { OutboundDestination } from './destination.ts';

export function clusterMetadata(dest: OutboundDestination): MessageInitShape<typeof MetadataSchema> {
  const { service, rule } = dest;
  const istio: JsonObject = {
    services: [{ host: service.hostname, name: service.name, namespace: service.namespace }],
    default_original_port: dest.port.number,
  };
  if (dest.subsetName !== '') istio.subset = dest.subsetName;
  if (rule) {
    istio.config = `/apis/networking.istio.io/v1/namespaces/${rule.metadata.namespace ?? 'default'}/destination-rule/${rule.metadata.name}`;
  }
  return { filterMetadata: { istio } };
}
