// Protobuf merge (what EnvoyFilter MERGE means): set scalars replace, messages merge field by field, lists
// append, map entries replace. Typed configs (google.protobuf.Any) of the same type merge their contents, as
// Istio does, instead of the opaque replacement a plain Any merge would do.
import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import { reflect, type ReflectMessage } from '@bufbuild/protobuf/reflect';
import { anyPack, anyUnpack, AnySchema, type Any } from '@bufbuild/protobuf/wkt';
import { xdsRegistry } from '@heddle/xds';

const ANY_TYPE = 'google.protobuf.Any';

/** Merges `source` into `target` in place; `target` takes `source`'s sub-messages, so pass a clone. */
export function mergeMessage<Desc extends DescMessage>(
  schema: Desc,
  target: MessageShape<Desc>,
  source: MessageShape<Desc>,
): void {
  mergeReflected(reflect(schema, target), reflect(schema, source));
}

function mergeReflected(target: ReflectMessage, source: ReflectMessage): void {
  for (const field of target.fields) {
    if (!source.isSet(field)) continue;
    switch (field.fieldKind) {
      case 'scalar':
      case 'enum':
        target.set(field, source.get(field));
        break;
      case 'message': {
        const from = source.get(field);
        if (!target.isSet(field)) target.set(field, from);
        else if (field.message.typeName === ANY_TYPE) {
          const merged = mergeAny(target.get(field).message as Any, from.message as Any);
          target.set(field, reflect(AnySchema, merged));
        } else mergeReflected(target.get(field), from);
        break;
      }
      case 'list': {
        const list = target.get(field);
        for (const item of source.get(field)) list.add(item);
        break;
      }
      case 'map': {
        const map = target.get(field);
        for (const [key, value] of source.get(field)) map.set(key, value);
        break;
      }
    }
  }
}

function mergeAny(target: Any, source: Any): Any {
  if (target.typeUrl !== source.typeUrl) return source;
  const schema = xdsRegistry.getMessage(source.typeUrl.slice(source.typeUrl.lastIndexOf('/') + 1));
  const into = schema && anyUnpack(target, schema);
  const from = schema && anyUnpack(source, schema);
  if (!schema || !into || !from) return source;
  mergeMessage(schema, into, from);
  return anyPack(schema, into);
}
