// Envoy's tracing decision. The x-request-id (a UUID) carries the decision between hops in its version
// nibble: `9` sampled, `a` forced, `b` client-requested; a plain `4` means nobody decided yet. A hop that has
// to decide rolls `random_sampling` on the request id itself, so every hop reaches the same answer.

const TRACE_NIBBLE = 14;
const SAMPLED = '9';

export function requestIdSampled(requestId: string | undefined): boolean {
  const nibble = requestId?.[TRACE_NIBBLE];
  return nibble === SAMPLED || nibble === 'a' || nibble === 'b';
}

/** The request id with its trace bit set, as Envoy rewrites it when it samples. */
export function markRequestIdSampled(requestId: string): string {
  if (requestId.length < 36 || requestId[8] !== '-' || requestId[TRACE_NIBBLE] !== '4') return requestId;
  return `${requestId.slice(0, TRACE_NIBBLE)}${SAMPLED}${requestId.slice(TRACE_NIBBLE + 1)}`;
}

/** A number in [0, 10000) derived from the request id: its leading hex digits, or a string hash. */
export function requestIdBucket(requestId: string): number {
  const hex = /^[0-9a-fA-F]{8}/.exec(requestId)?.[0];
  if (hex !== undefined) return Number.parseInt(hex, 16) % 10_000;
  let hash = 0x811c9dc5;
  for (let i = 0; i < requestId.length; i++)
    hash = Math.imul(hash ^ requestId.charCodeAt(i), 0x01000193) >>> 0;
  return hash % 10_000;
}

export interface SamplingInput {
  /** What the caller decided in the trace headers, if anything. */
  readonly callerDecision?: boolean;
  readonly requestId?: string;
  /** `random_sampling` percent, 0–100. */
  readonly randomPercent: number;
  /** `overall_sampling` percent, 0–100. */
  readonly overallPercent: number;
  readonly useRequestId: boolean;
  /** Uniform in [0, 1). */
  readonly random: () => number;
}

export function decideSampling(input: SamplingInput): boolean {
  if (input.callerDecision !== undefined) return input.callerDecision;
  const roll = (percent: number): boolean =>
    input.useRequestId && input.requestId !== undefined
      ? requestIdBucket(input.requestId) < percent * 100
      : input.random() * 100 < percent;
  if (input.useRequestId && requestIdSampled(input.requestId))
    return input.overallPercent >= 100 || roll(input.overallPercent);
  return roll(input.randomPercent) && (input.overallPercent >= 100 || roll(input.overallPercent));
}
