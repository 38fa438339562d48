// Packs and unpacks google.protobuf.Any with the xDS registry, and wraps Heddle-only filter config in a TypedStruct.
import { create } from '@bufbuild/protobuf';
import type { DescMessage, JsonObject, Message, MessageInitShape, MessageShape } from '@bufbuild/protobuf';
import { anyPack, anyUnpack } from '@bufbuild/protobuf/wkt';
import type { Any } from '@bufbuild/protobuf/wkt';
import { TypedStructSchema as UdpaTypedStructSchema } from './gen/udpa/type/v1/typed_struct_pb.ts';
import { TypedStructSchema } from './gen/xds/type/v3/typed_struct_pb.ts';
import { xdsRegistry } from './registry.ts';

/** Builds a message of `schema` from `init` (or takes it as is) and packs it into an Any. */
export function packAny<Desc extends DescMessage>(schema: Desc, init: MessageInitShape<Desc>): Any {
  return anyPack(schema, create(schema, init));
}

/** Unpacks an Any of any type known to the registry; undefined for an unknown type URL. */
export function unpackAny(any: Any): Message | undefined {
  return anyUnpack(any, xdsRegistry);
}

/** Unpacks an Any that must hold `schema`; undefined when its type URL names another type. */
export function unpackAnyAs<Desc extends DescMessage>(
  any: Any,
  schema: Desc,
): MessageShape<Desc> | undefined {
  return anyUnpack(any, schema);
}

/** An Any holding an `xds.type.v3.TypedStruct`: config for a filter with no .proto, e.g. `type.heddle.dev/...`. */
export function typedStruct(typeUrl: string, value: JsonObject): Any {
  return anyPack(TypedStructSchema, create(TypedStructSchema, { typeUrl, value }));
}

export type UntypedConfig = { typeUrl: string; value: JsonObject };

/** Reads a TypedStruct (xds.type.v3 or the older udpa.type.v1) out of an Any; undefined for any other type. */
export function unpackTypedStruct(any: Any): UntypedConfig | undefined {
  const struct = anyUnpack(any, TypedStructSchema) ?? anyUnpack(any, UdpaTypedStructSchema);
  return struct && { typeUrl: struct.typeUrl, value: struct.value ?? {} };
}
