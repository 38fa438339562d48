// One registry of every generated Envoy/xDS message type and the well-known types, for Any and JSON conversion.
import { createRegistry, fromJson, toJson } from '@bufbuild/protobuf';
import type { DescMessage, JsonValue, MessageShape } from '@bufbuild/protobuf';
import {
  file_google_protobuf_any,
  file_google_protobuf_api,
  file_google_protobuf_descriptor,
  file_google_protobuf_duration,
  file_google_protobuf_empty,
  file_google_protobuf_field_mask,
  file_google_protobuf_source_context,
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
  file_google_protobuf_type,
  file_google_protobuf_wrappers,
} from '@bufbuild/protobuf/wkt';
import { generatedFiles } from './gen/files.ts';

export const xdsRegistry = createRegistry(
  file_google_protobuf_any,
  file_google_protobuf_api,
  file_google_protobuf_descriptor,
  file_google_protobuf_duration,
  file_google_protobuf_empty,
  file_google_protobuf_field_mask,
  file_google_protobuf_source_context,
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
  file_google_protobuf_type,
  file_google_protobuf_wrappers,
  ...generatedFiles,
);

/** Proto3 JSON of an xDS message; Any fields are expanded with their `@type` through the registry. */
export function xdsToJson<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): JsonValue {
  return toJson(schema, message, { registry: xdsRegistry });
}

/** Parses proto3 JSON (as written by Envoy or `xdsToJson`) into an xDS message; throws on unknown fields. */
export function xdsFromJson<Desc extends DescMessage>(schema: Desc, json: JsonValue): MessageShape<Desc> {
  return fromJson(schema, json, { registry: xdsRegistry });
}
