// typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'] for tests.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import {
  HttpProtocolOptionsSchema,
  type HttpProtocolOptions,
} from '@heddle/xds/gen/envoy/extensions/upstreams/http/v3/http_protocol_options_pb.ts';
import type { ClusterInit } from './config.ts';

export const HTTP_OPTIONS_KEY = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

type OptionsInit = Exclude<MessageInitShape<typeof HttpProtocolOptionsSchema>, HttpProtocolOptions>;

export function httpOptions(init: OptionsInit): Pick<ClusterInit, 'typedExtensionProtocolOptions'> {
  return {
    typedExtensionProtocolOptions: {
      [HTTP_OPTIONS_KEY]: anyPack(HttpProtocolOptionsSchema, create(HttpProtocolOptionsSchema, init)),
    },
  };
}

export function http2Options(
  http2: { maxConcurrentStreams?: number } = {},
  common: OptionsInit['commonHttpProtocolOptions'] = undefined,
) {
  return httpOptions({
    upstreamProtocolOptions: {
      case: 'explicitHttpConfig',
      value: { protocolConfig: { case: 'http2ProtocolOptions', value: http2 } },
    },
    ...(common ? { commonHttpProtocolOptions: common } : {}),
  });
}

export const downstreamProtocol = httpOptions({
  upstreamProtocolOptions: {
    case: 'useDownstreamProtocolConfig',
    value: { httpProtocolOptions: {}, http2ProtocolOptions: {} },
  },
});
