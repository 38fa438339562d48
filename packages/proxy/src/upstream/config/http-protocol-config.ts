// Which HTTP version a cluster speaks upstream and its connection limits, from typed_extension_protocol_options
// (envoy.extensions.upstreams.http.v3.HttpProtocolOptions) or the deprecated cluster fields.
import { HTTP_PROTOCOL_OPTIONS_TYPE_URL, unpackAnyAs } from '@heddle/xds';
import { Cluster_ClusterProtocolSelection } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type {
  Http2ProtocolOptions,
  HttpProtocolOptions as CommonHttpProtocolOptions,
} from '@heddle/xds/gen/envoy/config/core/v3/protocol_pb.ts';
import { HttpProtocolOptionsSchema } from '@heddle/xds/gen/envoy/extensions/upstreams/http/v3/http_protocol_options_pb.ts';
import type { HttpConfig, UpstreamProtocol } from './compiled-cluster.ts';
import { ClusterConfigError } from './config-error.ts';
import { durationMs } from './duration.ts';

export const HTTP_PROTOCOL_OPTIONS_KEY = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
/** Envoy closes idle upstream connections after an hour unless told otherwise. */
const DEFAULT_IDLE_TIMEOUT_MS = 3_600_000;
const DEFAULT_MAX_CONCURRENT_STREAMS = 2_147_483_647;

export function compileHttpProtocol(cluster: Cluster, where: string): HttpConfig {
  for (const key of Object.keys(cluster.typedExtensionProtocolOptions)) {
    if (
      key !== HTTP_PROTOCOL_OPTIONS_KEY &&
      key !== HTTP_PROTOCOL_OPTIONS_TYPE_URL.slice('type.googleapis.com/'.length)
    ) {
      throw new ClusterConfigError(`${where}: typed_extension_protocol_options['${key}']: not supported`);
    }
  }
  const any = cluster.typedExtensionProtocolOptions[HTTP_PROTOCOL_OPTIONS_KEY];
  const at = `${where}: typed_extension_protocol_options['${HTTP_PROTOCOL_OPTIONS_KEY}']`;
  if (!any) {
    const protocol: UpstreamProtocol = cluster.http2ProtocolOptions
      ? 'http2'
      : cluster.protocolSelection === Cluster_ClusterProtocolSelection.USE_DOWNSTREAM_PROTOCOL
        ? 'downstream'
        : 'http1';
    return build(
      protocol,
      cluster.commonHttpProtocolOptions,
      cluster.http2ProtocolOptions,
      cluster,
      `${where}: common_http_protocol_options`,
      {
        autoSni: cluster.upstreamHttpProtocolOptions?.autoSni ?? false,
        autoSanValidation: cluster.upstreamHttpProtocolOptions?.autoSanValidation ?? false,
      },
    );
  }
  const options = unpackAnyAs(any, HttpProtocolOptionsSchema);
  if (!options)
    throw new ClusterConfigError(`${at}: expected ${HTTP_PROTOCOL_OPTIONS_TYPE_URL}, got ${any.typeUrl}`);
  if (options.httpFilters.length > 0)
    throw new ClusterConfigError(`${at}.http_filters: upstream HTTP filters are not supported`);
  if (options.headerValidationConfig)
    throw new ClusterConfigError(`${at}.header_validation_config: not supported`);
  const upstream = options.upstreamHttpProtocolOptions;
  if (upstream && upstream.overrideAutoSniHeader !== '') {
    throw new ClusterConfigError(
      `${at}.upstream_http_protocol_options.override_auto_sni_header: not supported`,
    );
  }
  const choice = options.upstreamProtocolOptions;
  let protocol: UpstreamProtocol;
  let http2: Http2ProtocolOptions | undefined;
  switch (choice.case) {
    case 'explicitHttpConfig': {
      const config = choice.value.protocolConfig;
      if (config.case === 'http3ProtocolOptions')
        throw new ClusterConfigError(
          `${at}.explicit_http_config.http3_protocol_options: HTTP/3 is not supported`,
        );
      if (config.case === 'http2ProtocolOptions') {
        protocol = 'http2';
        http2 = config.value;
      } else {
        protocol = 'http1';
      }
      break;
    }
    case 'useDownstreamProtocolConfig':
      if (choice.value.http3ProtocolOptions) {
        throw new ClusterConfigError(
          `${at}.use_downstream_protocol_config.http3_protocol_options: HTTP/3 is not supported`,
        );
      }
      protocol = 'downstream';
      http2 = choice.value.http2ProtocolOptions;
      break;
    case 'autoConfig':
      throw new ClusterConfigError(`${at}.auto_config: ALPN-negotiated upstream protocol is not supported`);
    case undefined:
      protocol = 'http1';
  }
  return build(
    protocol,
    options.commonHttpProtocolOptions,
    http2,
    cluster,
    `${at}.common_http_protocol_options`,
    {
      autoSni: upstream?.autoSni ?? false,
      autoSanValidation: upstream?.autoSanValidation ?? false,
    },
  );
}

function build(
  protocol: UpstreamProtocol,
  common: CommonHttpProtocolOptions | undefined,
  http2: Http2ProtocolOptions | undefined,
  cluster: Cluster,
  at: string,
  sni: Pick<HttpConfig, 'autoSni' | 'autoSanValidation'>,
): HttpConfig {
  if (common?.maxStreamDuration) throw new ClusterConfigError(`${at}.max_stream_duration: not supported`);
  return {
    protocol,
    idleTimeoutMs: durationMs(common?.idleTimeout, DEFAULT_IDLE_TIMEOUT_MS),
    maxRequestsPerConnection: common?.maxRequestsPerConnection ?? cluster.maxRequestsPerConnection ?? 0,
    maxConnectionDurationMs: durationMs(common?.maxConnectionDuration, 0),
    maxConcurrentStreams: http2?.maxConcurrentStreams ?? DEFAULT_MAX_CONCURRENT_STREAMS,
    ...(http2?.initialStreamWindowSize !== undefined
      ? { initialStreamWindowSize: http2.initialStreamWindowSize }
      : {}),
    ...(http2?.initialConnectionWindowSize !== undefined
      ? { initialConnectionWindowSize: http2.initialConnectionWindowSize }
      : {}),
    ...sni,
  };
}
