// RequestAuthentication as `envoy.filters.http.jwt_authn`: one provider per jwtRule of every policy that
// applies. A request with a token must satisfy one provider; a request without one passes (requiring a
// token is an AuthorizationPolicy's job). The verified payload goes to dynamic metadata under `payload`,
// which claim-based routing reads.
import type { JWTRule, RequestAuthentication } from '@heddle/api';
import { HTTP_FILTERS, packAny } from '@heddle/xds';
import type { HttpFilter } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import {
  JwtAuthenticationSchema,
  type JwtProviderSchema,
  type JwtRequirementSchema,
} from '@heddle/xds/gen/envoy/extensions/filters/http/jwt_authn/v3/config_pb.ts';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { httpFilter } from '../../listener/http-filters.ts';
import { JWT_PAYLOAD_METADATA_KEY } from '../../route/claim-match.ts';
import type { TranslationContext } from '../../translate-proxy.ts';
import { attachedPolicies, type AttachmentPoint } from '../policy/policy-targets.ts';
import { providerJwks } from './provider-jwks.ts';

/** Istio's allowance for clocks that disagree, on `exp` and `nbf`. */
export const JWT_CLOCK_SKEW_SECONDS = 60;

type ProviderInit = MessageInitShape<typeof JwtProviderSchema>;
type RequirementInit = MessageInitShape<typeof JwtRequirementSchema>;

export function jwtProvider(
  ctx: TranslationContext,
  policy: RequestAuthentication,
  rule: JWTRule,
): ProviderInit {
  return {
    issuer: rule.issuer ?? '',
    audiences: [...(rule.audiences ?? [])],
    jwksSourceSpecifier: {
      case: 'localJwks',
      value: { specifier: { case: 'inlineString', value: providerJwks(ctx, policy, rule) } },
    },
    forward: rule.forwardOriginalToken ?? false,
    fromHeaders: (rule.fromHeaders ?? []).map((h) => ({ name: h.name, valuePrefix: h.prefix ?? '' })),
    fromParams: [...(rule.fromParams ?? [])],
    fromCookies: [...(rule.fromCookies ?? [])],
    forwardPayloadHeader: rule.outputPayloadToHeader ?? '',
    claimToHeaders: (rule.outputClaimToHeaders ?? []).map((c) => ({
      headerName: c.header,
      claimName: c.claim,
    })),
    payloadInMetadata: JWT_PAYLOAD_METADATA_KEY,
    clockSkewSeconds: JWT_CLOCK_SKEW_SECONDS,
    ...(rule.spaceDelimitedClaims?.length
      ? { normalizePayloadInMetadata: { spaceDelimitedClaims: [...rule.spaceDelimitedClaims] } }
      : {}),
  };
}

export function applicableRequestAuthentications(
  ctx: TranslationContext,
  point: AttachmentPoint,
): RequestAuthentication[] {
  return attachedPolicies(
    ctx.index.snapshot.requestAuthentications,
    point,
    (p) => p.spec.selector?.matchLabels,
  );
}

/** Undefined when no RequestAuthentication with rules applies. */
export function jwtAuthnFilter(ctx: TranslationContext, point: AttachmentPoint): HttpFilter | undefined {
  const providers: Record<string, ProviderInit> = {};
  const names: string[] = [];
  for (const policy of applicableRequestAuthentications(ctx, point)) {
    for (const rule of policy.spec.jwtRules ?? []) {
      const name = `origins-${names.length}`;
      names.push(name);
      providers[name] = jwtProvider(ctx, policy, rule);
    }
  }
  if (names.length === 0) return undefined;
  const requirements: RequirementInit[] = [
    ...names.map((name): RequirementInit => ({ requiresType: { case: 'providerName', value: name } })),
    { requiresType: { case: 'allowMissing', value: {} } },
  ];
  return httpFilter(
    HTTP_FILTERS.JWT_AUTHN,
    packAny(JwtAuthenticationSchema, {
      providers,
      rules: [
        {
          match: { pathSpecifier: { case: 'prefix', value: '/' } },
          requirementType: {
            case: 'requires',
            value: { requiresType: { case: 'requiresAny', value: { requirements } } },
          },
        },
      ],
      bypassCorsPreflight: true,
    }),
  );
}
