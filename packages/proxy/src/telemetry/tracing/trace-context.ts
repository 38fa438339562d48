// Trace context propagation: B3 (the `x-b3-*` headers and the single `b3` header) and W3C Trace Context
// (`traceparent`, `tracestate`). Extraction reads what the caller sent; injection writes the same format
// for the next hop, or the tracer's native one when the trace starts here.
import { firstValue, type HeaderMap, type ReadonlyHeaderMap } from '../../http/headers.ts';

export type PropagationFormat = 'b3' | 'b3-single' | 'w3c';

export interface TraceContext {
  /** 16 or 32 lower-case hex digits. */
  readonly traceId: string;
  /** The caller's span id: the parent of this hop's span. 16 hex digits. */
  readonly spanId: string;
  /** Undefined when the caller left the decision to this hop. */
  readonly sampled?: boolean;
  readonly tracestate?: string;
  readonly format: PropagationFormat;
}

const HEX_ID = /^(?:[0-9a-f]{16}|[0-9a-f]{32})$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ZERO = /^0+$/;

const validTrace = (id: string): boolean => HEX_ID.test(id) && !ZERO.test(id);
const validSpan = (id: string): boolean => SPAN_ID.test(id) && !ZERO.test(id);

function sampledFlag(value: string | undefined): boolean | undefined {
  if (value === '1' || value === 'true' || value === 'd') return true;
  if (value === '0' || value === 'false') return false;
  return undefined;
}

function fromW3c(headers: ReadonlyHeaderMap): TraceContext | undefined {
  const parent = firstValue(headers, 'traceparent')?.trim().toLowerCase();
  if (!parent) return undefined;
  const match = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})/.exec(parent);
  if (!match || match[1] === 'ff') return undefined;
  const [, , traceId = '', spanId = '', flags = '00'] = match;
  if (!validTrace(traceId) || !validSpan(spanId)) return undefined;
  const tracestate = firstValue(headers, 'tracestate');
  return {
    traceId,
    spanId,
    sampled: (Number.parseInt(flags, 16) & 1) === 1,
    ...(tracestate ? { tracestate } : {}),
    format: 'w3c',
  };
}

function fromB3Single(headers: ReadonlyHeaderMap): TraceContext | undefined {
  const value = firstValue(headers, 'b3')?.trim().toLowerCase();
  if (!value) return undefined;
  const fields = value.split('-');
  // `b3: 0` (or `1`, `d`) carries only a sampling decision.
  if (fields.length === 1) return undefined;
  const [traceId = '', spanId = '', flag] = fields;
  if (!validTrace(traceId) || !validSpan(spanId)) return undefined;
  const sampled = sampledFlag(flag);
  return { traceId, spanId, ...(sampled !== undefined ? { sampled } : {}), format: 'b3-single' };
}

function fromB3Multi(headers: ReadonlyHeaderMap): TraceContext | undefined {
  const traceId = firstValue(headers, 'x-b3-traceid')?.trim().toLowerCase();
  const spanId = firstValue(headers, 'x-b3-spanid')?.trim().toLowerCase();
  if (!traceId || !spanId || !validTrace(traceId) || !validSpan(spanId)) return undefined;
  const sampled =
    firstValue(headers, 'x-b3-flags') === '1' ? true : sampledFlag(firstValue(headers, 'x-b3-sampled'));
  return { traceId, spanId, ...(sampled !== undefined ? { sampled } : {}), format: 'b3' };
}

/** A sampling decision sent without a trace (`x-b3-sampled: 0` or `b3: 0` alone). */
export function bareSamplingDecision(headers: ReadonlyHeaderMap): boolean | undefined {
  const single = firstValue(headers, 'b3')?.trim();
  if (single !== undefined && !single.includes('-')) return sampledFlag(single);
  return sampledFlag(firstValue(headers, 'x-b3-sampled'));
}

/** W3C first (the newer standard), then the B3 forms. */
export function extractTraceContext(headers: ReadonlyHeaderMap): TraceContext | undefined {
  return fromW3c(headers) ?? fromB3Single(headers) ?? fromB3Multi(headers);
}

const PROPAGATION_HEADERS = [
  'traceparent',
  'tracestate',
  'b3',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
];

export interface OutgoingContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly sampled: boolean;
  readonly tracestate?: string;
}

/** Replaces whatever trace headers the request carried with this hop's context in `format`. */
export function injectTraceContext(
  headers: HeaderMap,
  context: OutgoingContext,
  format: PropagationFormat,
): void {
  for (const name of PROPAGATION_HEADERS) delete headers[name];
  const flag = context.sampled ? '1' : '0';
  if (format === 'w3c') {
    const traceId = context.traceId.padStart(32, '0');
    headers['traceparent'] = `00-${traceId}-${context.spanId}-0${flag}`;
    if (context.tracestate) headers['tracestate'] = context.tracestate;
  } else if (format === 'b3-single') {
    headers['b3'] =
      `${context.traceId}-${context.spanId}-${flag}${context.parentSpanId ? `-${context.parentSpanId}` : ''}`;
  } else {
    headers['x-b3-traceid'] = context.traceId;
    headers['x-b3-spanid'] = context.spanId;
    if (context.parentSpanId) headers['x-b3-parentspanid'] = context.parentSpanId;
    headers['x-b3-sampled'] = flag;
  }
}
