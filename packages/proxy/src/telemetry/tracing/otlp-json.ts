// OTLP/HTTP JSON (`POST /v1/traces`): spans grouped under one resource (the proxy's service name). Trace and
// span ids are hex strings, times are nanosecond strings, as the OTLP JSON mapping specifies.
import type { FinishedSpan } from './span.ts';

const SPAN_KIND = { SERVER: 2, CLIENT: 3 } as const;
const STATUS_ERROR = 2;

const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });

export function encodeOtlp(spans: readonly FinishedSpan[]): string {
  const byService = new Map<string, FinishedSpan[]>();
  for (const span of spans) {
    const list = byService.get(span.serviceName) ?? [];
    list.push(span);
    byService.set(span.serviceName, list);
  }
  return JSON.stringify({
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: [attribute('service.name', service)] },
      scopeSpans: [
        {
          scope: { name: 'heddle-proxy' },
          spans: list.map((span) => ({
            traceId: span.traceId.padStart(32, '0'),
            spanId: span.spanId,
            ...(span.parentId ? { parentSpanId: span.parentId } : {}),
            name: span.name,
            kind: SPAN_KIND[span.kind],
            startTimeUnixNano: `${BigInt(span.timestampMicros) * 1000n}`,
            endTimeUnixNano: `${BigInt(span.timestampMicros + span.durationMicros) * 1000n}`,
            attributes: Object.entries(span.tags).map(([key, value]) => attribute(key, value)),
            ...(span.error ? { status: { code: STATUS_ERROR } } : {}),
          })),
        },
      ],
    })),
  });
}
