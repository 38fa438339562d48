// Finds config fields the proxy does not implement, so an update using one is refused with the field's name
// instead of being applied with the field silently ignored.
import { isFieldSet, type DescMessage, type MessageShape } from '@bufbuild/protobuf';

/** The proto name of the first field set on `message` that is not in `supported` (local, camelCase names). */
export function firstUnsupportedField<Desc extends DescMessage>(
  schema: Desc,
  message: MessageShape<Desc>,
  supported: ReadonlySet<string>,
): string | undefined {
  for (const field of schema.fields) {
    if (supported.has(field.localName)) continue;
    if (isFieldSet(message, field)) return field.name;
  }
  return undefined;
}
