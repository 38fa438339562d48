// Which tagOverrides value expressions the proxy's `istio.stats` filter evaluates (a subset of Istio's CEL
// attributes; docs/concepts/observability.md lists them). Checked here so an unsupported one is a warning,
// not a rejected listener.
const LITERAL = /^'[^'\\]*'$|^"[^"\\]*"$/;
const HEADER = /^(request|response)\.headers\[\s*(?:'[^']+'|"[^"]+")\s*\]$/;
const PEER =
  /^(upstream_peer|downstream_peer|source|destination)\.(workload|namespace|app|version|canonical_service|canonical_revision|cluster)$/;
const ATTRIBUTES = new Set([
  'request.host',
  'request.method',
  'request.path',
  'request.url_path',
  'request.scheme',
  'request.protocol',
  'response.code',
  'response.grpc_status',
  'response.flags',
]);

export function isSupportedTagExpression(expression: string): boolean {
  const text = expression.trim();
  return LITERAL.test(text) || HEADER.test(text) || PEER.test(text) || ATTRIBUTES.has(text);
}

/** Prometheus label names. */
export const TAG_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
