// The Zipkin v2 span as the collector keeps it, and the check that turns one posted JSON value into one.

export interface ZipkinEndpoint {
  readonly serviceName?: string;
  readonly ipv4?: string;
  readonly ipv6?: string;
  readonly port?: number;
}

export interface ZipkinSpan {
  readonly traceId: string;
  readonly id: string;
  readonly parentId?: string;
  readonly name?: string;
  readonly kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  /** Epoch microseconds. */
  readonly timestamp?: number;
  readonly duration?: number;
  readonly localEndpoint?: ZipkinEndpoint;
  readonly remoteEndpoint?: ZipkinEndpoint;
  readonly tags?: Readonly<Record<string, string>>;
  readonly shared?: boolean;
}

const HEX16_OR_32 = /^(?:[0-9a-f]{16}|[0-9a-f]{32})$/;
const HEX16 = /^[0-9a-f]{16}$/;
const KINDS = new Set(['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER']);

function endpoint(value: unknown): ZipkinEndpoint | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const input = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of ['serviceName', 'ipv4', 'ipv6'] as const)
    if (typeof input[key] === 'string') out[key] = input[key];
  if (typeof input.port === 'number') out.port = input.port;
  return out;
}

/** The span, or why it is refused. Zipkin ids are lower-case hex; a 16-digit trace id is left-padded to 32. */
export function parseZipkinSpan(value: unknown, index: number): ZipkinSpan | { readonly error: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { error: `span ${index}: not a JSON object` };
  const input = value as Record<string, unknown>;
  const traceId = typeof input.traceId === 'string' ? input.traceId.toLowerCase() : '';
  const id = typeof input.id === 'string' ? input.id.toLowerCase() : '';
  if (!HEX16_OR_32.test(traceId)) return { error: `span ${index}: traceId must be 16 or 32 hex digits` };
  if (!HEX16.test(id)) return { error: `span ${index}: id must be 16 hex digits` };
  const parentId = typeof input.parentId === 'string' ? input.parentId.toLowerCase() : undefined;
  if (parentId !== undefined && !HEX16.test(parentId))
    return { error: `span ${index}: parentId must be 16 hex digits` };
  const tags: Record<string, string> = {};
  if (input.tags !== null && typeof input.tags === 'object')
    for (const [key, tag] of Object.entries(input.tags as Record<string, unknown>))
      if (typeof tag === 'string') tags[key] = tag;
  const local = endpoint(input.localEndpoint);
  const remote = endpoint(input.remoteEndpoint);
  return {
    traceId: traceId.padStart(32, '0'),
    id,
    ...(parentId ? { parentId } : {}),
    ...(typeof input.name === 'string' ? { name: input.name } : {}),
    ...(typeof input.kind === 'string' && KINDS.has(input.kind)
      ? { kind: input.kind as ZipkinSpan['kind'] }
      : {}),
    ...(typeof input.timestamp === 'number' ? { timestamp: input.timestamp } : {}),
    ...(typeof input.duration === 'number' ? { duration: input.duration } : {}),
    ...(local ? { localEndpoint: local } : {}),
    ...(remote ? { remoteEndpoint: remote } : {}),
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
    ...(input.shared === true ? { shared: true } : {}),
  };
}
