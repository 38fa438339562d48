// One xDS resource as the client received it: its name, the Any it came in, and the decoded message.
import type { Message } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';

export interface DecodedResource<T extends Message = Message> {
  readonly name: string;
  readonly any: Any;
  readonly message: T;
}
