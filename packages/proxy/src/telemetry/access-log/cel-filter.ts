// The `envoy.access_loggers.extension_filters.cel` filter: a CEL expression over Istio's attribute names
// (`response.code`, `request.headers`, `connection.mtls`, `upstream.address` …), parsed once per config and
// evaluated against each completed stream. An expression that fails at run time (a missing header, a type
// mismatch) does not log, as in Envoy.
import type * as Cel from '@marcbachmann/cel-js';
import { createRequire } from 'node:module';
import { firstValue, type ReadonlyHeaderMap } from '../../http/headers.ts';
import type { StreamInfo } from '../../http/stream-info.ts';

export type StreamPredicate = (info: StreamInfo) => boolean;

// cel-js is loaded by the first filter with an expression, not when the proxy starts (synchronously: filters
// are compiled while a config update is checked).
let cel: typeof Cel | undefined;
const parse: typeof Cel.parse = (expression) =>
  (cel ??= createRequire(import.meta.url)('@marcbachmann/cel-js') as typeof Cel).parse(expression);

function singleValued(headers: ReadonlyHeaderMap | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const name of Object.keys(headers)) {
    if (name.startsWith(':')) continue;
    const value = headers[name];
    out[name] = typeof value === 'string' ? value : (value ?? []).join(',');
  }
  return out;
}

const splitHostPort = (address: string | undefined): { address: string; port: number } => {
  if (!address) return { address: '', port: 0 };
  const colon = address.lastIndexOf(':');
  return colon < 0
    ? { address, port: 0 }
    : { address: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
};

/** The attributes an expression sees, named as in Envoy and Istio. */
export function celAttributes(info: StreamInfo): Record<string, unknown> {
  const request = info.requestHeaders ?? {};
  const path = firstValue(request, ':path') ?? '';
  const query = path.indexOf('?');
  const upstream = splitHostPort(info.upstreamHost);
  return {
    request: {
      path,
      url_path: query < 0 ? path : path.slice(0, query),
      host: firstValue(request, ':authority') ?? '',
      scheme: firstValue(request, ':scheme') ?? '',
      method: firstValue(request, ':method') ?? '',
      // Built only when an expression reads them: most filters look at the response code alone.
      get headers() {
        return singleValued(info.requestHeaders);
      },
      referer: firstValue(request, 'referer') ?? '',
      useragent: firstValue(request, 'user-agent') ?? '',
      id: info.requestId ?? '',
      protocol: info.protocol === 'tcp' ? '' : info.protocol === 'http2' ? 'HTTP/2' : 'HTTP/1.1',
      size: info.bytesReceived,
      get time() {
        return new Date(info.startTime);
      },
    },
    response: {
      code: info.responseCode ?? 0,
      code_details: info.responseCodeDetails ?? '',
      flags: info.responseFlags.size,
      get headers() {
        return singleValued(info.responseHeaders);
      },
      size: info.bytesSent,
      grpc_status: Number(info.responseHeaders ? (firstValue(info.responseHeaders, 'grpc-status') ?? 0) : 0),
    },
    source: { address: info.downstreamRemoteAddress, port: info.downstream.remotePort },
    destination: {
      address: info.downstream.originalDestination?.address ?? info.downstream.localAddress,
      port: info.downstream.originalDestination?.port ?? info.downstream.localPort,
    },
    connection: {
      mtls: info.downstream.tls && info.downstream.peerPrincipal !== undefined,
      requested_server_name: info.downstream.serverName ?? '',
      uri_san_peer_certificate: info.downstream.peerPrincipal ?? '',
    },
    upstream: { address: upstream.address, port: upstream.port },
    xds: { cluster_name: info.upstreamCluster ?? '', route_name: info.routeName ?? '' },
  };
}

export function compileCelFilter(expression: string): StreamPredicate | { error: string } {
  let evaluate: (context: Record<string, unknown>) => unknown;
  try {
    evaluate = parse(expression);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? 'invalid expression';
    return { error: `CEL expression "${expression}": ${message}` };
  }
  return (info) => {
    try {
      return evaluate(celAttributes(info)) === true;
    } catch {
      return false;
    }
  };
}
