// Zipkin v2 JSON (`POST /api/v2/spans`): a JSON array of spans.
import type { FinishedSpan } from './span.ts';

function endpoint(
  serviceName: string | undefined,
  address: string | undefined,
): Record<string, unknown> | undefined {
  if (serviceName === undefined && address === undefined) return undefined;
  const out: Record<string, unknown> = {};
  if (serviceName !== undefined) out.serviceName = serviceName;
  if (address !== undefined) {
    const colon = address.lastIndexOf(':');
    const ip = colon > 0 ? address.slice(0, colon).replace(/^\[|\]$/g, '') : address;
    const port = colon > 0 ? Number(address.slice(colon + 1)) : undefined;
    out[ip.includes(':') ? 'ipv6' : 'ipv4'] = ip;
    if (port) out.port = port;
  }
  return out;
}

export function zipkinSpan(span: FinishedSpan): Record<string, unknown> {
  const remote = endpoint(undefined, span.remoteAddress);
  return {
    traceId: span.traceId,
    id: span.spanId,
    ...(span.parentId ? { parentId: span.parentId } : {}),
    name: span.name,
    kind: span.kind,
    timestamp: span.timestampMicros,
    duration: span.durationMicros,
    localEndpoint: endpoint(span.serviceName, span.localAddress),
    ...(remote ? { remoteEndpoint: remote } : {}),
    tags: span.error ? { ...span.tags, error: 'true' } : span.tags,
  };
}

export function encodeZipkin(spans: readonly FinishedSpan[]): string {
  return JSON.stringify(spans.map(zipkinSpan));
}
