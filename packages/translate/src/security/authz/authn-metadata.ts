// Matchers on the request identity the proxy's jwt_authn filter records under the `istio_authn` dynamic
// metadata namespace: `request.auth.principal` (`<iss>/<sub>`), `request.auth.audiences`,
// `request.auth.presenter` and `request.auth.claims` (the verified payload), as Istio's authn filter does.
import { create } from '@bufbuild/protobuf';
import { PrincipalSchema, type Principal } from '@heddle/xds/gen/envoy/config/rbac/v3/rbac_pb.ts';
import {
  MetadataMatcherSchema,
  type MetadataMatcher,
} from '@heddle/xds/gen/envoy/type/matcher/v3/metadata_pb.ts';
import type { StringMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/string_pb.ts';
import type { ValueMatcherSchema } from '@heddle/xds/gen/envoy/type/matcher/v3/value_pb.ts';
import type { MessageInitShape } from '@bufbuild/protobuf';

export const AUTHN_METADATA_NAMESPACE = 'istio_authn';
export const AUTHN_PRINCIPAL_KEY = 'request.auth.principal';
export const AUTHN_AUDIENCES_KEY = 'request.auth.audiences';
export const AUTHN_PRESENTER_KEY = 'request.auth.presenter';
export const AUTHN_CLAIMS_KEY = 'request.auth.claims';

/** How a metadata value is compared: as a string, as a list element, or either (claims like `groups`). */
export type MetadataValueShape = 'string' | 'listElement' | 'listOrString';

export function metadataMatcher(
  filter: string,
  path: readonly string[],
  matcher: StringMatcher,
  shape: MetadataValueShape,
): MetadataMatcher {
  const single: MessageInitShape<typeof ValueMatcherSchema> = {
    matchPattern: { case: 'stringMatch', value: matcher },
  };
  const element: MessageInitShape<typeof ValueMatcherSchema> = {
    matchPattern: { case: 'listMatch', value: { matchPattern: { case: 'oneOf', value: single } } },
  };
  const value: MessageInitShape<typeof ValueMatcherSchema> =
    shape === 'string'
      ? single
      : shape === 'listElement'
        ? element
        : { matchPattern: { case: 'orMatch', value: { valueMatchers: [single, element] } } };
  return create(MetadataMatcherSchema, {
    filter,
    path: path.map((key) => ({ segment: { case: 'key' as const, value: key } })),
    value,
  });
}

export function authnPrincipal(
  path: readonly string[],
  matcher: StringMatcher,
  shape: MetadataValueShape,
): Principal {
  return create(PrincipalSchema, {
    identifier: { case: 'metadata', value: metadataMatcher(AUTHN_METADATA_NAMESPACE, path, matcher, shape) },
  });
}
