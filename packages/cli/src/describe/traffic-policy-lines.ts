// A DestinationRule traffic policy in a few words per concern: load balancer, connection pool (the circuit
// breaker), outlier detection, TLS.
import type { TrafficPolicy } from '@heddle/api';

export function trafficPolicyLines(policy: TrafficPolicy | undefined): string[] {
  if (!policy) return [];
  const lines: string[] = [];
  const lb = policy.loadBalancer;
  if (lb?.simple) lines.push(`load balancer ${lb.simple}`);
  if (lb?.consistentHash) {
    const hash = lb.consistentHash;
    const key = hash.httpHeaderName
      ? `header ${hash.httpHeaderName}`
      : hash.httpCookie
        ? `cookie ${hash.httpCookie.name}`
        : hash.useSourceIp
          ? 'source IP'
          : hash.httpQueryParameterName
            ? `query ${hash.httpQueryParameterName}`
            : 'unset key';
    lines.push(`load balancer consistent hash on ${key}`);
  }
  const tcp = policy.connectionPool?.tcp;
  const http = policy.connectionPool?.http;
  const pool = [
    tcp?.maxConnections !== undefined ? `max connections ${tcp.maxConnections}` : '',
    tcp?.connectTimeout !== undefined ? `connect timeout ${tcp.connectTimeout}` : '',
    http?.http1MaxPendingRequests !== undefined ? `max pending ${http.http1MaxPendingRequests}` : '',
    http?.http2MaxRequests !== undefined ? `max requests ${http.http2MaxRequests}` : '',
    http?.maxRequestsPerConnection !== undefined
      ? `requests per connection ${http.maxRequestsPerConnection}`
      : '',
    http?.maxRetries !== undefined ? `max retries ${http.maxRetries}` : '',
  ].filter(Boolean);
  if (pool.length > 0) lines.push(`connection pool: ${pool.join(', ')}`);
  const outlier = policy.outlierDetection;
  if (outlier) {
    const errors = outlier.consecutive5xxErrors ?? outlier.consecutiveErrors;
    const parts = [
      errors !== undefined ? `eject after ${errors} consecutive 5xx` : '',
      outlier.consecutiveGatewayErrors
        ? `${outlier.consecutiveGatewayErrors} consecutive gateway errors`
        : '',
      outlier.interval !== undefined ? `every ${outlier.interval}` : '',
      outlier.baseEjectionTime !== undefined ? `for ${outlier.baseEjectionTime}` : '',
      outlier.maxEjectionPercent !== undefined ? `at most ${outlier.maxEjectionPercent}%` : '',
    ].filter(Boolean);
    lines.push(`outlier detection: ${parts.join(', ') || 'defaults'}`);
  }
  if (policy.tls?.mode) lines.push(`TLS ${policy.tls.mode}`);
  for (const portPolicy of policy.portLevelSettings ?? []) {
    const nested = trafficPolicyLines({ ...portPolicy, portLevelSettings: [] });
    if (nested.length > 0) lines.push(`port ${portPolicy.port?.number ?? '?'}: ${nested.join('; ')}`);
  }
  return lines;
}
