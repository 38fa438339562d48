// Builders for the connection manager `tracing` blocks the tracing tests use.
import { packAny } from '@heddle/xds';
import { OpenTelemetryConfigSchema } from '@heddle/xds/gen/envoy/config/trace/v3/opentelemetry_pb.ts';
import {
  ZipkinConfig_CollectorEndpointVersion,
  ZipkinConfigSchema,
} from '@heddle/xds/gen/envoy/config/trace/v3/zipkin_pb.ts';

export function zipkinTracing(options: {
  cluster: string;
  percent?: number;
  spawnUpstreamSpan?: boolean;
  customTags?: unknown[];
}) {
  return {
    randomSampling: { value: options.percent ?? 100 },
    spawnUpstreamSpan: options.spawnUpstreamSpan ?? false,
    customTags: options.customTags ?? [],
    provider: {
      name: 'envoy.tracers.zipkin',
      configType: {
        case: 'typedConfig' as const,
        value: packAny(ZipkinConfigSchema, {
          collectorCluster: options.cluster,
          collectorEndpoint: '/api/v2/spans',
          collectorEndpointVersion: ZipkinConfig_CollectorEndpointVersion.HTTP_JSON,
          traceId128bit: true,
        }),
      },
    },
  };
}

export function otelTracing(options: { cluster: string; port: number }) {
  return {
    randomSampling: { value: 100 },
    provider: {
      name: 'envoy.tracers.opentelemetry',
      configType: {
        case: 'typedConfig' as const,
        value: packAny(OpenTelemetryConfigSchema, {
          serviceName: 'frontend.shop',
          httpService: {
            httpUri: {
              uri: `http://otel-collector:${options.port}/v1/traces`,
              httpUpstreamType: { case: 'cluster', value: options.cluster },
              timeout: { seconds: 5n },
            },
          },
        }),
      },
    },
  };
}
