// The value expressions a Telemetry `tagOverrides` UPSERT may use, compiled once per config into a getter.
// Supported (a subset of Istio's CEL attributes, the ones a proxy knows at the end of a request):
//   'literal' or "literal"                     a constant
//   request.headers['name'], response.headers['name']
//   request.host, request.method, request.path, request.url_path, request.scheme, request.protocol
//   response.code, response.grpc_status, response.flags
//   upstream_peer.<field>, downstream_peer.<field>, source.<field>, destination.<field>
//     with <field> one of workload, namespace, app, version, canonical_service, canonical_revision, cluster
// A missing value reads as `unknown`.
import { firstValue, type ReadonlyHeaderMap } from '../../http/headers.ts';
import type { MetricAttributes } from './metric-attributes.ts';
import { UNKNOWN, type PeerMetadata } from './peer-metadata.ts';

export type AttributeGetter = (attrs: MetricAttributes) => string;

const PEER_FIELDS: Readonly<Record<string, keyof PeerMetadata>> = {
  workload: 'workload',
  namespace: 'namespace',
  app: 'app',
  version: 'version',
  canonical_service: 'canonicalService',
  canonical_revision: 'canonicalRevision',
  cluster: 'cluster',
};

const LITERAL = /^'([^'\\]*)'$|^"([^"\\]*)"$/;
const HEADER = /^(request|response)\.headers\[\s*(?:'([^']+)'|"([^"]+)")\s*\]$/;
const PEER = /^(upstream_peer|downstream_peer|source|destination)\.([a-z_]+)$/;

const REQUEST_ATTRIBUTES: Readonly<Record<string, AttributeGetter>> = {
  'request.host': (a) => header(a.requestHeaders, ':authority'),
  'request.method': (a) => header(a.requestHeaders, ':method'),
  'request.path': (a) => header(a.requestHeaders, ':path'),
  'request.url_path': (a) => {
    const path = header(a.requestHeaders, ':path');
    const query = path.indexOf('?');
    return query < 0 ? path : path.slice(0, query);
  },
  'request.scheme': (a) => header(a.requestHeaders, ':scheme'),
  'request.protocol': (a) => a.requestProtocol,
  'response.code': (a) => a.responseCode,
  'response.grpc_status': (a) => a.grpcStatus,
  'response.flags': (a) => a.responseFlags,
};

function header(headers: ReadonlyHeaderMap | undefined, name: string): string {
  const value = headers ? firstValue(headers, name) : undefined;
  return value === undefined || value === '' ? UNKNOWN : value;
}

export function compileAttributeExpression(expression: string): AttributeGetter | { readonly error: string } {
  const text = expression.trim();
  const literal = LITERAL.exec(text);
  if (literal) {
    const value = literal[1] ?? literal[2] ?? '';
    return () => value;
  }
  const headerMatch = HEADER.exec(text);
  if (headerMatch) {
    const name = (headerMatch[2] ?? headerMatch[3] ?? '').toLowerCase();
    return headerMatch[1] === 'request'
      ? (a) => header(a.requestHeaders, name)
      : (a) => header(a.responseHeaders, name);
  }
  const known = REQUEST_ATTRIBUTES[text];
  if (known) return known;
  const peer = PEER.exec(text);
  if (peer) {
    const field = PEER_FIELDS[peer[2] as string];
    if (field === undefined) return { error: `unknown peer field in "${expression}"` };
    const side = peer[1];
    if (side === 'source') return (a) => a.source[field];
    if (side === 'destination') return (a) => a.destination[field];
    if (side === 'upstream_peer') return (a) => (a.reporter === 'source' && a.peer ? a.peer[field] : UNKNOWN);
    return (a) => (a.reporter === 'destination' && a.peer ? a.peer[field] : UNKNOWN);
  }
  return { error: `unsupported tag value expression "${expression}"` };
}
