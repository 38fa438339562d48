// Admin JSON as Envoy prints it: proto3 JSON with the .proto field names (`dynamic_active_clusters`), Any
// fields expanded through the xDS registry, so jq scripts written against Envoy keep working.
import { toJson, type DescMessage, type JsonValue, type MessageShape } from '@bufbuild/protobuf';
import { xdsRegistry } from '@heddle/xds';

export function envoyJson<Desc extends DescMessage>(
  schema: Desc,
  message: MessageShape<Desc>,
  options: { readonly emitDefaults?: boolean } = {},
): JsonValue {
  return toJson(schema, message, {
    registry: xdsRegistry,
    useProtoFieldName: true,
    alwaysEmitImplicit: options.emitDefaults ?? false,
  });
}
