// The Telemetry API's `metrics` for one proxy and one reporter: the Telemetry resources that apply (root
// namespace, then namespace, then workload selector) are read in that order, each entry's overrides in
// order, so the more specific and the later win. Only entries for the Prometheus provider count.
import type { JsonObject } from '@bufbuild/protobuf';
import type { IstioMetric, MetricsOverrides, Telemetry } from '@heddle/api';
import type { TranslationContext } from '../../translate-proxy.ts';
import { applicableTelemetries, telemetryRef } from '../logs-and-tracing/applicable-telemetries.ts';
import { isSupportedTagExpression, TAG_NAME } from './tag-expression.ts';
import { METRICS_WARNINGS } from './warning-codes.ts';

export type StandardMetric = Exclude<IstioMetric, 'ALL_METRICS'>;
export type ReporterMode = 'CLIENT' | 'SERVER';

export const STANDARD_METRICS: readonly StandardMetric[] = [
  'REQUEST_COUNT',
  'REQUEST_DURATION',
  'REQUEST_SIZE',
  'RESPONSE_SIZE',
  'GRPC_REQUEST_MESSAGES',
  'GRPC_RESPONSE_MESSAGES',
  'TCP_OPENED_CONNECTIONS',
  'TCP_CLOSED_CONNECTIONS',
  'TCP_SENT_BYTES',
  'TCP_RECEIVED_BYTES',
];

interface MetricState {
  disabled?: boolean;
  tags: Map<string, { operation: 'UPSERT' | 'REMOVE'; value?: string }>;
}

const PROMETHEUS = 'prometheus';

function usesPrometheus(
  ctx: TranslationContext,
  providers: readonly { name: string }[] | undefined,
): boolean {
  const names = providers?.map((p) => p.name) ??
    ctx.index.snapshot.meshConfig.defaultProviders?.metrics ?? [PROMETHEUS];
  return names.includes(PROMETHEUS);
}

/** The resolved overrides as the `metrics` object of the StatsConfig; empty when nothing is overridden. */
export function resolveMetricOverrides(ctx: TranslationContext, mode: ReporterMode): JsonObject {
  const states = new Map<StandardMetric, MetricState>();
  for (const telemetry of applicableTelemetries(ctx)) {
    for (const metrics of telemetry.spec.metrics ?? []) {
      if (!usesPrometheus(ctx, metrics.providers)) continue;
      for (const override of metrics.overrides ?? []) applyOverride(ctx, telemetry, override, mode, states);
    }
  }
  const out: JsonObject = {};
  for (const metric of STANDARD_METRICS) {
    const state = states.get(metric);
    if (!state) continue;
    const entry: JsonObject = {};
    if (state.disabled === true) entry.disabled = true;
    if (state.tags.size > 0) {
      const tags: JsonObject = {};
      for (const tag of [...state.tags.keys()].sort()) {
        const change = state.tags.get(tag);
        if (!change) continue;
        tags[tag] =
          change.value !== undefined
            ? { operation: change.operation, value: change.value }
            : { operation: change.operation };
      }
      entry.tagOverrides = tags;
    }
    if (Object.keys(entry).length > 0) out[metric] = entry;
  }
  return out;
}

function applyOverride(
  ctx: TranslationContext,
  telemetry: Telemetry,
  override: MetricsOverrides,
  mode: ReporterMode,
  states: Map<StandardMetric, MetricState>,
): void {
  const match = override.match;
  if (match?.customMetric !== undefined) {
    ctx.warn({
      code: METRICS_WARNINGS.CUSTOM_METRIC_UNSUPPORTED,
      message: `customMetric ${match.customMetric}: only Istio's standard metrics are produced; the override is ignored`,
      resource: telemetryRef(telemetry),
    });
    return;
  }
  const matchMode = match?.mode ?? 'CLIENT_AND_SERVER';
  if (matchMode !== 'CLIENT_AND_SERVER' && matchMode !== mode) return;
  const metric = match?.metric ?? 'ALL_METRICS';
  const targets = metric === 'ALL_METRICS' ? STANDARD_METRICS : [metric];
  const tagChanges: [string, { operation: 'UPSERT' | 'REMOVE'; value?: string }][] = [];
  for (const [tag, change] of Object.entries(override.tagOverrides ?? {})) {
    if (!TAG_NAME.test(tag)) {
      ctx.warn({
        code: METRICS_WARNINGS.TAG_NAME_INVALID,
        message: `tagOverrides: "${tag}" is not a valid Prometheus label name; it is ignored`,
        resource: telemetryRef(telemetry),
      });
      continue;
    }
    const operation = change.operation ?? 'UPSERT';
    if (operation === 'REMOVE') {
      tagChanges.push([tag, { operation }]);
      continue;
    }
    if (change.value === undefined || !isSupportedTagExpression(change.value)) {
      ctx.warn({
        code: METRICS_WARNINGS.TAG_EXPRESSION_UNSUPPORTED,
        message: `tagOverrides.${tag}: value ${JSON.stringify(change.value ?? '')} is not an expression the proxy evaluates (literals, request/response headers, request.host/method/path/url_path/scheme/protocol, response.code/grpc_status/flags, upstream_peer/downstream_peer/source/destination fields); the tag is left unchanged`,
        resource: telemetryRef(telemetry),
      });
      continue;
    }
    tagChanges.push([tag, { operation, value: change.value.trim() }]);
  }
  for (const target of targets) {
    let state = states.get(target);
    if (!state) states.set(target, (state = { tags: new Map() }));
    if (override.disabled !== undefined) state.disabled = override.disabled;
    for (const [tag, change] of tagChanges) state.tags.set(tag, change);
  }
}
