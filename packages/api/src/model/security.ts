// Security kinds: PeerAuthentication (mTLS mode), AuthorizationPolicy (access control), RequestAuthentication (JWT).
import type { PolicySelector, PolicyTargetReference } from './common.ts';
import type { Resource, SecurityApiVersion } from './resource.ts';

export type PeerAuthentication = Resource<'PeerAuthentication', PeerAuthenticationSpec, SecurityApiVersion>;
export type AuthorizationPolicy = Resource<
  'AuthorizationPolicy',
  AuthorizationPolicySpec,
  SecurityApiVersion
>;
export type RequestAuthentication = Resource<
  'RequestAuthentication',
  RequestAuthenticationSpec,
  SecurityApiVersion
>;

export interface PeerAuthenticationSpec {
  /** Unset: the whole namespace, or the whole mesh from the root namespace. A selector wins over both. */
  readonly selector?: PolicySelector;
  /** Unset: inherited (workload → namespace → mesh; the mesh default is PERMISSIVE). */
  readonly mtls?: PeerAuthenticationMutualTLS;
  /** Keyed by workload port number (as a string); needs a `selector`. */
  readonly portLevelMtls?: Readonly<Record<string, PeerAuthenticationMutualTLS>>;
}

export interface PeerAuthenticationMutualTLS {
  readonly mode?: MutualTLSMode;
}

/** `UNSET` inherits from the parent; `PERMISSIVE` accepts both mTLS and plaintext; `STRICT` mTLS only. */
export type MutualTLSMode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

/**
 * Access control on the server side. Evaluation: CUSTOM, then DENY, then ALLOW policies; when any ALLOW
 * policy applies to a workload, a request must match one of them. AUDIT only marks requests for logging.
 */
export interface AuthorizationPolicySpec {
  /** Unset (and no target refs): the whole namespace, or the whole mesh from the root namespace. */
  readonly selector?: PolicySelector;
  /** Single-target form of `targetRefs`; at most one of `selector`, `targetRef`, `targetRefs`. */
  readonly targetRef?: PolicyTargetReference;
  /** Gateway API Gateways or Services the policy applies to; exclusive with `selector`. */
  readonly targetRefs?: readonly PolicyTargetReference[];
  /**
   * ORed. Unset or empty matches nothing (an ALLOW policy then denies everything); a single empty rule
   * `{}` matches every request.
   */
  readonly rules?: readonly AuthorizationRule[];
  /** Default ALLOW. */
  readonly action?: AuthorizationAction;
  /** The external authorizer, for `CUSTOM` only. */
  readonly provider?: AuthorizationPolicyProvider;
}

export type AuthorizationAction = 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';

export interface AuthorizationPolicyProvider {
  /** Name of an entry of meshConfig.extensionProviders. */
  readonly name?: string;
}

/** `from`, `to` and `when` are ANDed; entries inside each list are ORed; unset parts match anything. */
export interface AuthorizationRule {
  readonly from?: readonly RuleFrom[];
  readonly to?: readonly RuleTo[];
  readonly when?: readonly Condition[];
}

export interface RuleFrom {
  readonly source?: Source;
}

export interface RuleTo {
  readonly operation?: Operation;
}

/**
 * Who sends the request; fields are ANDed, values inside a field ORed, `not…` fields negate. Values allow
 * `*`, `prefix*` and `*suffix`.
 */
export interface Source {
  /** mTLS identities `<trust-domain>/ns/<namespace>/sa/<service-account>`; needs mTLS. */
  readonly principals?: readonly string[];
  readonly notPrincipals?: readonly string[];
  /** JWT identities `<iss>/<sub>` from RequestAuthentication. */
  readonly requestPrincipals?: readonly string[];
  readonly notRequestPrincipals?: readonly string[];
  /** Namespaces of the peer's mTLS identity; needs mTLS. */
  readonly namespaces?: readonly string[];
  readonly notNamespaces?: readonly string[];
  /** IPs/CIDRs of the direct peer (the connection's source address). */
  readonly ipBlocks?: readonly string[];
  readonly notIpBlocks?: readonly string[];
  /** IPs/CIDRs of the original client (from X-Forwarded-For / PROXY protocol per meshConfig). */
  readonly remoteIpBlocks?: readonly string[];
  readonly notRemoteIpBlocks?: readonly string[];
  /** `<namespace>/<service-account>` of the peer; needs mTLS; exclusive with `principals`. */
  readonly serviceAccounts?: readonly string[];
  readonly notServiceAccounts?: readonly string[];
}

/** What the request does; `hosts`, `methods`, `paths` need HTTP, only `ports` applies to TCP. */
export interface Operation {
  /** Host/authority values, case-insensitive. */
  readonly hosts?: readonly string[];
  readonly notHosts?: readonly string[];
  /** Destination ports, as strings. */
  readonly ports?: readonly string[];
  readonly notPorts?: readonly string[];
  /** HTTP methods (or gRPC: always `POST`). */
  readonly methods?: readonly string[];
  readonly notMethods?: readonly string[];
  /** Normalized request paths (without query); `{*}` and `{**}` path templates allowed. */
  readonly paths?: readonly string[];
  readonly notPaths?: readonly string[];
}

/** An extra condition, e.g. `request.headers[x-user]`, `source.ip`, `request.auth.claims[groups]`. */
export interface Condition {
  readonly key: string;
  readonly values?: readonly string[];
  readonly notValues?: readonly string[];
}

/**
 * Which JWTs a workload accepts. An invalid token is rejected (401); a request without one passes with no
 * request identity, so pair it with an AuthorizationPolicy (`requestPrincipals: ["*"]`) to require one.
 */
export interface RequestAuthenticationSpec {
  readonly selector?: PolicySelector;
  /** Single-target form of `targetRefs`; at most one of `selector`, `targetRef`, `targetRefs`. */
  readonly targetRef?: PolicyTargetReference;
  readonly targetRefs?: readonly PolicyTargetReference[];
  readonly jwtRules?: readonly JWTRule[];
}

export interface JWTRule {
  /** Expected `iss` claim. */
  readonly issuer?: string;
  /** Accepted `aud` values (any one suffices). Unset: the audience is not checked. */
  readonly audiences?: readonly string[];
  /** URL of the JWKS. Unset (and no `jwks`): found by OpenID discovery from the issuer. */
  readonly jwksUri?: string;
  /** @deprecated snake_case spelling of `jwksUri` the CRD still accepts. */
  readonly jwks_uri?: string;
  /** Inline JWKS JSON; use either this or `jwksUri`. */
  readonly jwks?: string;
  /** Unset (with `fromParams` and `fromCookies` unset too): `Authorization: Bearer <token>`. */
  readonly fromHeaders?: readonly JWTHeader[];
  /** Unset: the `access_token` query parameter is also tried. */
  readonly fromParams?: readonly string[];
  readonly fromCookies?: readonly string[];
  /** Header that receives the verified payload (base64url JSON). */
  readonly outputPayloadToHeader?: string;
  /** Keep the token in the request forwarded upstream. Default false (removed). */
  readonly forwardOriginalToken?: boolean;
  /** Copy claims to request headers after verification. */
  readonly outputClaimToHeaders?: readonly ClaimToHeader[];
  /** Claims split on spaces for matching (`scope` and `permission` always are). */
  readonly spaceDelimitedClaims?: readonly string[];
  /** Time limit for fetching the JWKS (duration). Default 5s. */
  readonly timeout?: string;
}

export interface JWTHeader {
  readonly name: string;
  /** Stripped before decoding, e.g. `Bearer ` (with the space). */
  readonly prefix?: string;
}

export interface ClaimToHeader {
  readonly header: string;
  /** Claim name; nested claims with `.`. */
  readonly claim: string;
}
