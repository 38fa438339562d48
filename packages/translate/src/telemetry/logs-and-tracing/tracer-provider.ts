// The `provider` of a connection manager's tracing block: Zipkin (v2 JSON over HTTP, as Istio configures it)
// or OpenTelemetry (OTLP over HTTP), each sending to the collector's outbound cluster.
import { create } from '@bufbuild/protobuf';
import { packAny } from '@heddle/xds';
import { OpenTelemetryConfigSchema } from '@heddle/xds/gen/envoy/config/trace/v3/opentelemetry_pb.ts';
import {
  Tracing_HttpSchema,
  type Tracing_Http,
} from '@heddle/xds/gen/envoy/config/trace/v3/http_tracer_pb.ts';
import {
  ZipkinConfig_CollectorEndpointVersion,
  ZipkinConfigSchema,
} from '@heddle/xds/gen/envoy/config/trace/v3/zipkin_pb.ts';
import type { CollectorCluster } from './collector-cluster.ts';
import { OTLP_TRACES_PATH, TRACERS, ZIPKIN_SPANS_PATH } from './envoy-names.ts';

export function zipkinTracer(collector: CollectorCluster, traceId128bit: boolean): Tracing_Http {
  return create(Tracing_HttpSchema, {
    name: TRACERS.ZIPKIN,
    configType: {
      case: 'typedConfig',
      value: packAny(ZipkinConfigSchema, {
        collectorCluster: collector.cluster,
        collectorEndpoint: ZIPKIN_SPANS_PATH,
        collectorEndpointVersion: ZipkinConfig_CollectorEndpointVersion.HTTP_JSON,
        collectorHostname: collector.hostname,
        traceId128bit,
        // Each hop reports its own span rather than sharing the caller's span id (Istio's setting).
        sharedSpanContext: false,
      }),
    },
  });
}

export function openTelemetryTracer(collector: CollectorCluster, serviceName: string): Tracing_Http {
  return create(Tracing_HttpSchema, {
    name: TRACERS.OPENTELEMETRY,
    configType: {
      case: 'typedConfig',
      value: packAny(OpenTelemetryConfigSchema, {
        serviceName,
        httpService: {
          httpUri: {
            uri: `http://${collector.hostname}:${collector.port}${OTLP_TRACES_PATH}`,
            httpUpstreamType: { case: 'cluster', value: collector.cluster },
            timeout: { seconds: 5n },
          },
        },
      }),
    },
  });
}
