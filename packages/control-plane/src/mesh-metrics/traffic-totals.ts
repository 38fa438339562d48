// Adds up the increases of one group of series (an edge, a node, the whole mesh) and turns them into the
// dashboard's traffic figures: request rate, 5xx share, p50/p99 from the duration buckets, TCP bytes.
import type { TrafficFigures } from '@heddle/api';
import { histogramQuantile } from './histogram-quantile.ts';
import type { IstioSeries } from './istio-series.ts';

export class TrafficTotals {
  requests = 0;
  errors = 0;
  /** Requests (and TCP bytes) whose connection_security_policy was mutual_tls. */
  mtlsRequests = 0;
  tcpBytes = 0;
  mtlsTcpBytes = 0;
  readonly codes = new Map<string, number>();
  readonly buckets = new Map<number, number>();
  readonly protocols = new Set<string>();

  add(series: IstioSeries, value: number): void {
    switch (series.family) {
      case 'requests': {
        const code = series.labels.response_code;
        this.requests += value;
        if (/^5\d\d$/.test(code)) this.errors += value;
        if (series.labels.connection_security_policy === 'mutual_tls') this.mtlsRequests += value;
        this.codes.set(code, (this.codes.get(code) ?? 0) + value);
        if (series.labels.request_protocol !== '') this.protocols.add(series.labels.request_protocol);
        break;
      }
      case 'duration':
        if (series.le !== undefined) this.buckets.set(series.le, (this.buckets.get(series.le) ?? 0) + value);
        break;
      case 'tcpSent':
      case 'tcpReceived':
        this.tcpBytes += value;
        if (series.labels.connection_security_policy === 'mutual_tls') this.mtlsTcpBytes += value;
        this.protocols.add('tcp');
        break;
    }
  }

  figures(seconds: number): TrafficFigures {
    const buckets = [...this.buckets].map(([le, count]) => ({ le, count }));
    const p50 = this.requests > 0 ? histogramQuantile(0.5, buckets) : undefined;
    const p99 = this.requests > 0 ? histogramQuantile(0.99, buckets) : undefined;
    return {
      requestsPerSecond: perSecond(this.requests, seconds),
      errorRate: this.requests > 0 ? this.errors / this.requests : 0,
      ...(p50 !== undefined ? { p50Ms: round(p50) } : {}),
      ...(p99 !== undefined ? { p99Ms: round(p99) } : {}),
    };
  }

  /** True when everything observed (requests, else TCP bytes) used mutual TLS; false when nothing was. */
  allMutualTls(): boolean {
    if (this.requests > 0) return this.mtlsRequests === this.requests;
    return this.tcpBytes > 0 && this.mtlsTcpBytes === this.tcpBytes;
  }

  /** `grpc` when any request was gRPC, `http` for other requests, `tcp` for bytes alone. */
  protocol(): 'http' | 'grpc' | 'tcp' {
    if (this.protocols.has('grpc')) return 'grpc';
    return this.requests > 0 || this.protocols.has('http') ? 'http' : 'tcp';
  }

  codeRates(seconds: number): Record<string, number> {
    const rates: Record<string, number> = {};
    for (const [code, count] of [...this.codes].sort(([a], [b]) => a.localeCompare(b)))
      rates[code] = perSecond(count, seconds);
    return rates;
  }
}

export function perSecond(count: number, seconds: number): number {
  return seconds > 0 ? round(count / seconds) : 0;
}

/** Three decimals: rates and milliseconds beyond that are noise. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
