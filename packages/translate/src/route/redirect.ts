// Istio `redirect` and `directResponse` rules as Envoy redirect and direct-response actions.
import { create } from '@bufbuild/protobuf';
import { base64Decode } from '@bufbuild/protobuf/wire';
import type { HTTPDirectResponse, HTTPRedirect } from '@heddle/api';
import {
  DirectResponseActionSchema,
  RedirectAction_RedirectResponseCode,
  RedirectActionSchema,
  type DirectResponseAction,
  type RedirectAction,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';

const REDIRECT_CODES: Readonly<Record<number, RedirectAction_RedirectResponseCode>> = {
  301: RedirectAction_RedirectResponseCode.MOVED_PERMANENTLY,
  302: RedirectAction_RedirectResponseCode.FOUND,
  303: RedirectAction_RedirectResponseCode.SEE_OTHER,
  307: RedirectAction_RedirectResponseCode.TEMPORARY_REDIRECT,
  308: RedirectAction_RedirectResponseCode.PERMANENT_REDIRECT,
};

/**
 * Undefined for a redirect code Envoy cannot send. `FROM_REQUEST_PORT` becomes the listener port: routes are
 * built per port, so the request's port is known here.
 */
export function translateRedirect(redirect: HTTPRedirect, listenerPort: number): RedirectAction | undefined {
  const responseCode = REDIRECT_CODES[redirect.redirectCode ?? 301];
  if (responseCode === undefined) return undefined;
  const port = redirect.port ?? (redirect.derivePort === 'FROM_REQUEST_PORT' ? listenerPort : 0);
  return create(RedirectActionSchema, {
    hostRedirect: redirect.authority ?? '',
    portRedirect: port,
    responseCode,
    schemeRewriteSpecifier: redirect.scheme
      ? { case: 'schemeRedirect', value: redirect.scheme }
      : { case: undefined },
    pathRewriteSpecifier: redirect.uri ? { case: 'pathRedirect', value: redirect.uri } : { case: undefined },
  });
}

export function translateDirectResponse(response: HTTPDirectResponse): DirectResponseAction {
  const body = response.body;
  return create(DirectResponseActionSchema, {
    status: response.status,
    body:
      body?.string !== undefined
        ? { specifier: { case: 'inlineString', value: body.string } }
        : body?.bytes !== undefined
          ? { specifier: { case: 'inlineBytes', value: base64Decode(body.bytes) } }
          : undefined,
  });
}
