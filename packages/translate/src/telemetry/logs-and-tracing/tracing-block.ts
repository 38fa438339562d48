// The `tracing` block of one connection manager: Telemetry `tracing` when any applies to this direction,
// otherwise meshConfig `enableTracing` with `defaultConfig.tracing` (sampling percent, Zipkin address).
import type { MeshExtensionProvider, MeshConfig, Telemetry } from '@heddle/api';
import type { CustomTag } from '@heddle/xds/gen/envoy/type/tracing/v3/custom_tag_pb.ts';
import type { Tracing_Http } from '@heddle/xds/gen/envoy/config/trace/v3/http_tracer_pb.ts';
import type { HcmScope, HcmTracing } from '../../listener/hcm-hooks.ts';
import type { TranslationContext } from '../../translate-proxy.ts';
import { telemetryRef } from './applicable-telemetries.ts';
import { collectorCluster, splitAddress } from './collector-cluster.ts';
import { findProvider } from './extension-providers.ts';
import { customSpanTag, istioSpanTags } from './span-tags.ts';
import { openTelemetryTracer, zipkinTracer } from './tracer-provider.ts';
import { selectTracing, type TracingSelection } from './tracing-selection.ts';
import { warnOnce } from './warn-once.ts';
import { TELEMETRY_WARNINGS } from './warning-codes.ts';
import type { TrafficDirection } from './workload-mode.ts';

/** Istio's default `maxPathTagLength`. */
const MAX_PATH_TAG_LENGTH = 256;
const DEFAULT_SAMPLING_PERCENT = 1;

const clampPercent = (value: number): number => Math.min(100, Math.max(0, value));

/** The Zipkin tracer at meshConfig `defaultConfig.tracing.zipkin.address`, when that names a mesh service. */
function meshZipkinTracer(ctx: TranslationContext, resource?: string): Tracing_Http | undefined {
  const address = ctx.index.snapshot.meshConfig.defaultConfig?.tracing?.zipkin?.address;
  if (!address) return undefined;
  const { host, port } = splitAddress(address);
  const collector = collectorCluster(ctx, host, port);
  if (collector) return zipkinTracer(collector, true);
  // Only worth a warning when the user asked for tracing explicitly; the mesh default address often has no
  // collector behind it, exactly as in Istio.
  if (resource !== undefined)
    warnOnce(ctx, {
      code: TELEMETRY_WARNINGS.COLLECTOR_NOT_FOUND,
      message: `the Zipkin collector "${address}" (meshConfig defaultConfig.tracing.zipkin.address) is not a service in the registry; spans are not reported`,
      resource,
    });
  return undefined;
}

function providerTracer(
  ctx: TranslationContext,
  provider: MeshExtensionProvider,
  resource: string,
): Tracing_Http | undefined {
  const remote = provider.zipkin ?? provider.opentelemetry;
  if (!remote) {
    warnOnce(ctx, {
      code: TELEMETRY_WARNINGS.PROVIDER_WRONG_KIND,
      message: `provider "${provider.name}" is not a tracing provider (zipkin or opentelemetry); spans are not reported`,
      resource,
    });
    return undefined;
  }
  const collector = collectorCluster(ctx, remote.service ?? '', remote.port ?? 0);
  if (!collector) {
    warnOnce(ctx, {
      code: TELEMETRY_WARNINGS.COLLECTOR_NOT_FOUND,
      message: `tracing provider "${provider.name}": service "${remote.service ?? ''}" port ${remote.port ?? 0} is not in the registry; spans are not reported`,
      resource,
    });
    return undefined;
  }
  if (provider.zipkin) return zipkinTracer(collector, provider.zipkin.enable64bitTraceId !== true);
  return openTelemetryTracer(collector, `${istioServiceName(ctx)}.${ctx.node.namespace}`);
}

function istioServiceName(ctx: TranslationContext): string {
  return ctx.node.labels['service.istio.io/canonical-name'] ?? ctx.node.labels.app ?? ctx.node.workloadName;
}

/** The tracer a Telemetry selects: its provider, the mesh default provider, or the meshConfig Zipkin address. */
function selectedTracer(
  ctx: TranslationContext,
  mesh: MeshConfig,
  selection: TracingSelection,
): Tracing_Http | undefined {
  const resource = telemetryRef(selection.source);
  const names = selection.providers ?? mesh.defaultProviders?.tracing ?? [];
  if (names.length > 1)
    warnOnce(ctx, {
      code: TELEMETRY_WARNINGS.MULTIPLE_TRACING_PROVIDERS,
      message: `only one tracing provider applies per proxy; "${names[0] ?? ''}" is used, ${names
        .slice(1)
        .map((n) => `"${n}"`)
        .join(', ')} ignored`,
      resource,
    });
  const name = names[0];
  if (name === undefined) return meshZipkinTracer(ctx, resource);
  const provider = findProvider(mesh, name);
  if (!provider) {
    warnOnce(ctx, {
      code: TELEMETRY_WARNINGS.PROVIDER_NOT_FOUND,
      message: `tracing provider "${name}" is not in meshConfig.extensionProviders; the meshConfig Zipkin collector (defaultConfig.tracing.zipkin.address) is used instead`,
      resource,
    });
    return meshZipkinTracer(ctx, resource);
  }
  return providerTracer(ctx, provider, resource);
}

function customTags(ctx: TranslationContext, selection: TracingSelection | undefined): CustomTag[] {
  const tags = selection?.enableIstioTags === false ? [] : istioSpanTags(ctx);
  const custom = selection?.customTags ?? {};
  for (const name of Object.keys(custom).sort()) {
    const tag = customSpanTag(name, custom[name] ?? {});
    if (tag) tags.push(tag);
    else if (selection)
      warnOnce(ctx, {
        code: TELEMETRY_WARNINGS.UNSUPPORTED_FIELD,
        message: `custom tag "${name}": only literal, environment and header tags are supported; it is skipped`,
        resource: telemetryRef(selection.source),
      });
  }
  return tags;
}

export function tracingFor(
  ctx: TranslationContext,
  telemetries: readonly Telemetry[],
  scope: HcmScope,
  direction: TrafficDirection,
): HcmTracing | undefined {
  const mesh = ctx.index.snapshot.meshConfig;
  const selection = selectTracing(telemetries, direction);
  let provider: Tracing_Http | undefined;
  if (selection === undefined) {
    if (mesh.enableTracing === false) return undefined;
    provider = meshZipkinTracer(ctx);
    // No collector and nothing asked for explicitly: leave the connection manager without tracing.
    if (!provider) return undefined;
  } else {
    if (selection.useRequestIdForTraceSampling === false)
      warnOnce(ctx, {
        code: TELEMETRY_WARNINGS.UNSUPPORTED_FIELD,
        message:
          'useRequestIdForTraceSampling: false is not applied; the sampling decision still travels in x-request-id',
        resource: telemetryRef(selection.source),
      });
    const tracer = selectedTracer(ctx, mesh, selection);
    if (tracer && selection.disableSpanReporting !== true) provider = tracer;
  }
  const percent =
    selection?.randomSamplingPercentage ?? mesh.defaultConfig?.tracing?.sampling ?? DEFAULT_SAMPLING_PERCENT;
  return {
    clientSampling: { value: 100 },
    randomSampling: { value: clampPercent(percent) },
    overallSampling: { value: 100 },
    maxPathTagLength: mesh.defaultConfig?.tracing?.maxPathTagLength ?? MAX_PATH_TAG_LENGTH,
    customTags: customTags(ctx, selection),
    ...(provider ? { provider } : {}),
    // Gateways report the hop they receive and, as a child, the request they send upstream (Istio's default).
    spawnUpstreamSpan: scope.listenerClass === 'gateway',
  };
}
