// Compiles a connection manager's `tracing` block once per config: sampling percentages, custom tags, the
// span shape of this hop, and the provider (envoy.tracers.zipkin with HTTP_JSON, or
// envoy.tracers.opentelemetry over http_service). Anything else is refused with a precise error.
import { unpackAnyAs } from '@heddle/xds';
import { OpenTelemetryConfigSchema } from '@heddle/xds/gen/envoy/config/trace/v3/opentelemetry_pb.ts';
import {
  ZipkinConfig_CollectorEndpointVersion,
  ZipkinConfigSchema,
} from '@heddle/xds/gen/envoy/config/trace/v3/zipkin_pb.ts';
import type { HttpConnectionManager_Tracing } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { firstValue, type ReadonlyHeaderMap } from '../../http/headers.ts';
import type { PropagationFormat } from './trace-context.ts';

export const ZIPKIN_TRACER = 'envoy.tracers.zipkin';
export const OPENTELEMETRY_TRACER = 'envoy.tracers.opentelemetry';
const ZIPKIN_TYPE = 'type.googleapis.com/envoy.config.trace.v3.ZipkinConfig';
const OTEL_TYPE = 'type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig';

export interface CollectorConfig {
  readonly kind: 'zipkin' | 'opentelemetry';
  readonly cluster: string;
  readonly path: string;
  readonly authority: string;
  /** OpenTelemetry `service_name`; Zipkin uses the node's service name. */
  readonly serviceName?: string;
  /** Zipkin: 128-bit trace ids for traces started here. */
  readonly traceId128bit: boolean;
  /** What this hop writes when it starts a trace. */
  readonly nativeFormat: PropagationFormat;
}

export type TagReader = (headers: ReadonlyHeaderMap) => string | undefined;

export interface TracingConfig {
  readonly randomPercent: number;
  readonly overallPercent: number;
  readonly maxPathTagLength: number;
  readonly customTags: readonly (readonly [string, TagReader])[];
  /** Gateways: the hop's server span plus a client span for the upstream request. */
  readonly spawnUpstreamSpan: boolean;
  readonly collector?: CollectorConfig;
}

const percentOf = (value: { value: number } | undefined, fallback: number): number =>
  value === undefined ? fallback : Math.min(100, Math.max(0, value.value));

function compileCollector(
  tracing: HttpConnectionManager_Tracing,
): CollectorConfig | undefined | { error: string } {
  const provider = tracing.provider;
  if (!provider) return undefined;
  const typed = provider.configType.case === 'typedConfig' ? provider.configType.value : undefined;
  if (!typed) return { error: `tracing provider "${provider.name}" has no typed_config` };
  if (typed.typeUrl === ZIPKIN_TYPE) {
    const zipkin = unpackAnyAs(typed, ZipkinConfigSchema);
    if (!zipkin) return { error: 'tracing provider: cannot decode ZipkinConfig' };
    if (zipkin.collectorCluster === '')
      return { error: 'tracing ZipkinConfig: collector_cluster is required' };
    if (zipkin.collectorEndpointVersion !== ZipkinConfig_CollectorEndpointVersion.HTTP_JSON)
      return { error: 'tracing ZipkinConfig: only collector_endpoint_version HTTP_JSON is supported' };
    return {
      kind: 'zipkin',
      cluster: zipkin.collectorCluster,
      path: zipkin.collectorEndpoint || '/api/v2/spans',
      authority: zipkin.collectorHostname || zipkin.collectorCluster,
      traceId128bit: zipkin.traceId128bit,
      nativeFormat: 'b3',
    };
  }
  if (typed.typeUrl === OTEL_TYPE) {
    const otel = unpackAnyAs(typed, OpenTelemetryConfigSchema);
    if (!otel) return { error: 'tracing provider: cannot decode OpenTelemetryConfig' };
    const uri = otel.httpService?.httpUri;
    if (!uri)
      return { error: 'tracing OpenTelemetryConfig: only http_service is supported (grpc_service is not)' };
    const cluster = uri.httpUpstreamType.case === 'cluster' ? uri.httpUpstreamType.value : '';
    if (cluster === '')
      return { error: 'tracing OpenTelemetryConfig: http_service.http_uri.cluster is required' };
    let url: URL;
    try {
      url = new URL(uri.uri);
    } catch {
      return { error: `tracing OpenTelemetryConfig: http_uri.uri "${uri.uri}" is not a URL` };
    }
    return {
      kind: 'opentelemetry',
      cluster,
      path: `${url.pathname}${url.search}`,
      authority: url.host,
      ...(otel.serviceName ? { serviceName: otel.serviceName } : {}),
      traceId128bit: true,
      nativeFormat: 'w3c',
    };
  }
  return {
    error: `tracing provider "${provider.name}" (${typed.typeUrl}) is not supported; use ${ZIPKIN_TRACER} or ${OPENTELEMETRY_TRACER}`,
  };
}

function compileTags(
  tracing: HttpConnectionManager_Tracing,
): TracingConfig['customTags'] | { error: string } {
  const tags: (readonly [string, TagReader])[] = [];
  for (const tag of tracing.customTags) {
    const type = tag.type;
    switch (type.case) {
      case 'literal': {
        const value = type.value.value;
        tags.push([tag.tag, () => value]);
        break;
      }
      case 'environment': {
        const value = process.env[type.value.name] ?? (type.value.defaultValue || undefined);
        tags.push([tag.tag, () => value]);
        break;
      }
      case 'requestHeader': {
        const name = type.value.name.toLowerCase();
        const fallback = type.value.defaultValue || undefined;
        tags.push([tag.tag, (headers) => firstValue(headers, name) ?? fallback]);
        break;
      }
      case 'metadata':
      case undefined:
        return {
          error: `tracing custom_tags "${tag.tag}": only literal, environment and request_header are supported`,
        };
    }
  }
  return tags;
}

export function compileTracing(
  tracing: HttpConnectionManager_Tracing,
): TracingConfig | { readonly error: string } {
  const collector = compileCollector(tracing);
  if (collector && 'error' in collector) return collector;
  const customTags = compileTags(tracing);
  if ('error' in customTags) return customTags;
  return {
    randomPercent: percentOf(tracing.randomSampling, 100),
    overallPercent: percentOf(tracing.overallSampling, 100),
    maxPathTagLength: tracing.maxPathTagLength ?? 256,
    customTags,
    spawnUpstreamSpan: tracing.spawnUpstreamSpan === true,
    ...(collector ? { collector } : {}),
  };
}
