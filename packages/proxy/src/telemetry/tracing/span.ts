// One finished span, in the shape both exporters (Zipkin v2 JSON, OTLP/HTTP JSON) are written from.

export type SpanKind = 'SERVER' | 'CLIENT';

export interface FinishedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentId?: string;
  readonly name: string;
  readonly kind: SpanKind;
  /** Epoch microseconds. */
  readonly timestampMicros: number;
  readonly durationMicros: number;
  /** The local service (Envoy's local cluster name, e.g. `productpage.default`). */
  readonly serviceName: string;
  readonly localAddress?: string;
  readonly remoteAddress?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly error: boolean;
}
