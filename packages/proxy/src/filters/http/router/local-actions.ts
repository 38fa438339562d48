// Routes the router answers itself, without an upstream: require_tls, redirects and direct responses.
import { createHeaderMap, firstValue, type HeaderMap } from '../../../http/headers.ts';
import type { CompiledRoute } from '../../../http/routing/compiled-route.ts';
import { redirectLocation } from '../../../http/routing/redirect-action.ts';
import type { FilterCallbacks } from '../http-filter.ts';

/** Answers the request when the route says so; false when it must be forwarded. */
export function answerLocally(route: CompiledRoute, headers: HeaderMap, cb: FilterCallbacks): boolean {
  const action = route.action;
  if (route.virtualHost.requireTls !== 'none' && !cb.streamInfo.downstream.tls) {
    // require_tls: plaintext requests are sent to https first (external-only is treated as all).
    const location = redirectLocation(
      { kind: 'redirect', status: 301, scheme: 'https', stripQuery: false },
      {
        scheme: 'http',
        authority: firstValue(headers, ':authority') ?? '',
        path: firstValue(headers, ':path') ?? '/',
      },
    );
    cb.sendLocalReply({ status: 301, headers: { location }, details: 'direct_response' });
    return true;
  }
  if (action.kind === 'redirect') {
    const location = redirectLocation(action, {
      scheme: firstValue(headers, ':scheme') ?? 'http',
      authority: firstValue(headers, ':authority') ?? '',
      path: firstValue(headers, ':path') ?? '/',
      ...(route.matchedPrefix !== undefined ? { matchedPrefix: route.matchedPrefix } : {}),
    });
    cb.sendLocalReply({ status: action.status, headers: { location }, details: 'direct_response' });
    return true;
  }
  if (action.kind === 'direct-response') {
    sendDirectResponse(action.status, action.body, cb);
    return true;
  }
  return false;
}

/** A direct_response route's status and optional body; not a local reply, so no error body is added. */
function sendDirectResponse(status: number, body: Uint8Array | undefined, cb: FilterCallbacks): void {
  const out = createHeaderMap();
  out[':status'] = String(status);
  cb.streamInfo.responseCodeDetails = 'direct_response';
  if (body && body.length > 0) {
    out['content-type'] = 'text/plain';
    out['content-length'] = String(body.length);
    cb.encodeHeaders(out, false);
    cb.encodeData(body, true);
  } else {
    out['content-length'] = '0';
    cb.encodeHeaders(out, true);
  }
}
