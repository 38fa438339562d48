// UpstreamTlsContext transport sockets for test clusters.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import type { TransportSocketSchema } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import {
  UpstreamTlsContextSchema,
  type UpstreamTlsContext,
} from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.ts';

type TlsInit = Exclude<MessageInitShape<typeof UpstreamTlsContextSchema>, UpstreamTlsContext>;

export const inline = (text: string) => ({ specifier: { case: 'inlineString' as const, value: text } });

export const sds = (name: string) => ({
  name,
  sdsConfig: { configSourceSpecifier: { case: 'ads' as const, value: {} } },
});

export function tlsSocket(init: TlsInit): MessageInitShape<typeof TransportSocketSchema> {
  return {
    name: 'envoy.transport_sockets.tls',
    configType: {
      case: 'typedConfig',
      value: anyPack(UpstreamTlsContextSchema, create(UpstreamTlsContextSchema, init)),
    },
  };
}
