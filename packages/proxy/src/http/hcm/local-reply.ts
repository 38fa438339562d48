// Responses the proxy writes itself (no route, faults, timeouts, refused requests): plain text for HTTP
// clients, a trailers-only response with grpc-status for gRPC clients.
import type { LocalReply } from '../../filters/http/http-filter.ts';
import { createHeaderMap, firstValue, type HeaderMap } from '../headers.ts';

/** Envoy's mapping of an HTTP status to the gRPC status a gRPC client receives. */
export function grpcStatusForHttp(status: number): number {
  switch (status) {
    case 400:
      return 13;
    case 401:
      return 16;
    case 403:
      return 7;
    case 404:
      return 12;
    case 429:
    case 502:
    case 503:
    case 504:
      return 14;
    default:
      return 2;
  }
}

export function isGrpcRequest(headers: HeaderMap | undefined): boolean {
  return headers !== undefined && (firstValue(headers, 'content-type') ?? '').startsWith('application/grpc');
}

export interface RenderedReply {
  readonly headers: HeaderMap;
  readonly body?: Uint8Array;
}

export function renderLocalReply(reply: LocalReply, request: HeaderMap | undefined): RenderedReply {
  const headers = createHeaderMap();
  for (const [name, value] of Object.entries(reply.headers ?? {})) headers[name] = value;
  if (reply.grpcStatus !== undefined || isGrpcRequest(request)) {
    headers[':status'] = '200';
    headers['content-type'] = 'application/grpc';
    headers['grpc-status'] = String(reply.grpcStatus ?? grpcStatusForHttp(reply.status));
    const message = reply.body ?? reply.details;
    if (message !== '') headers['grpc-message'] = encodeURIComponent(message);
    return { headers };
  }
  headers[':status'] = String(reply.status);
  if (reply.body === undefined || reply.body === '') {
    headers['content-length'] = '0';
    return { headers };
  }
  const body = new TextEncoder().encode(reply.body);
  headers['content-type'] = 'text/plain';
  headers['content-length'] = String(body.length);
  return { headers, body };
}
