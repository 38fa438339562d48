// One line per Zipkin trace for the Traces view: the root span, who served it, how long it took, how big it is.
import type { ZipkinSpan } from '../../client/control-plane-types.ts';

export interface TraceSummary {
  readonly traceId: string;
  /** The root span's name (`product.shop.svc.cluster.local:9080/*`), or the earliest span's when no root arrived. */
  readonly rootName: string;
  readonly rootService: string;
  /** Epoch microseconds of the first span. */
  readonly startMicros: number | undefined;
  /** From the earliest start to the latest end across spans, in microseconds. */
  readonly durationMicros: number | undefined;
  readonly spanCount: number;
  readonly services: readonly string[];
  /** True when a span is tagged `error` or carries a 5xx `http.status_code`. */
  readonly failed: boolean;
}

export function summarizeTrace(spans: readonly ZipkinSpan[]): TraceSummary | undefined {
  const ordered = [...spans].sort((a, b) => (a.timestamp ?? Infinity) - (b.timestamp ?? Infinity));
  const first = ordered[0];
  if (!first) return undefined;
  const ids = new Set(spans.map((span) => span.id));
  const root = ordered.find((span) => !span.parentId || !ids.has(span.parentId)) ?? first;
  const starts = spans.flatMap((span) => (span.timestamp === undefined ? [] : [span.timestamp]));
  const ends = spans.flatMap((span) =>
    span.timestamp === undefined ? [] : [span.timestamp + (span.duration ?? 0)],
  );
  const start = starts.length > 0 ? Math.min(...starts) : undefined;
  const end = ends.length > 0 ? Math.max(...ends) : undefined;
  const services = new Set<string>();
  for (const span of spans) if (span.localEndpoint?.serviceName) services.add(span.localEndpoint.serviceName);
  return {
    traceId: first.traceId,
    rootName: root.name ?? '(unnamed)',
    rootService: root.localEndpoint?.serviceName ?? '',
    startMicros: start,
    durationMicros: start !== undefined && end !== undefined ? end - start : root.duration,
    spanCount: spans.length,
    services: [...services].sort(),
    failed: spans.some(isFailedSpan),
  };
}

function isFailedSpan(span: ZipkinSpan): boolean {
  const tags = span.tags ?? {};
  if (tags.error !== undefined) return true;
  const status = Number(tags['http.status_code']);
  return Number.isInteger(status) && status >= 500;
}
