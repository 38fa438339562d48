// JwtRequirement trees (provider_name, provider_and_audiences, requires_any, requires_all, allow_missing,
// allow_missing_or_failed) compiled once, and their evaluation over the tokens a request carries.
import type { JwtRequirement } from '@heddle/xds/gen/envoy/extensions/filters/http/jwt_authn/v3/config_pb.ts';
import type { CompileResult } from '../../../http/routing/string-matcher.ts';
import type { CompiledProvider } from './provider.ts';
import { JWT_STATUS, type JwtStatus } from './jwt-status.ts';
import type { ExtractedToken, TokenLocation } from './token-extraction.ts';
import { locationKey } from './token-extraction.ts';

export type Requirement =
  | { readonly kind: 'provider'; readonly provider: CompiledProvider; readonly audiences?: readonly string[] }
  | { readonly kind: 'any'; readonly children: readonly Requirement[] }
  | { readonly kind: 'all'; readonly children: readonly Requirement[] }
  | { readonly kind: 'allow-missing'; readonly orFailed: boolean }
  | { readonly kind: 'none' };

const MAX_DEPTH = 16;

export function compileRequirement(
  requirement: JwtRequirement | undefined,
  providers: ReadonlyMap<string, CompiledProvider>,
  depth = 0,
): CompileResult<Requirement> {
  if (depth > MAX_DEPTH) return { error: `requirements nest deeper than ${MAX_DEPTH}` };
  const spec = requirement?.requiresType;
  switch (spec?.case) {
    case undefined:
      return { value: { kind: 'none' } };
    case 'providerName':
    case 'providerAndAudiences': {
      const name = spec.case === 'providerName' ? spec.value : spec.value.providerName;
      const provider = providers.get(name);
      if (!provider) return { error: `requirement names unknown provider ${JSON.stringify(name)}` };
      return {
        value: {
          kind: 'provider',
          provider,
          ...(spec.case === 'providerAndAudiences' ? { audiences: spec.value.audiences } : {}),
        },
      };
    }
    case 'requiresAny':
    case 'requiresAll': {
      const children: Requirement[] = [];
      for (const child of spec.value.requirements) {
        const compiled = compileRequirement(child, providers, depth + 1);
        if ('error' in compiled) return compiled;
        children.push(compiled.value);
      }
      if (children.length < 2) return { error: `${spec.case} needs at least two requirements` };
      return { value: { kind: spec.case === 'requiresAny' ? 'any' : 'all', children } };
    }
    case 'allowMissing':
      return { value: { kind: 'allow-missing', orFailed: false } };
    case 'allowMissingOrFailed':
      return { value: { kind: 'allow-missing', orFailed: true } };
  }
}

export interface VerifiedToken {
  readonly provider: CompiledProvider;
  readonly token: ExtractedToken;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly payloadSegment: string;
}

export type RequirementResult =
  | { readonly ok: true; readonly verified: readonly VerifiedToken[] }
  | { readonly ok: false; readonly status: JwtStatus };

/** What evaluation needs of the request: its tokens and the verdict on one token for one provider. */
export interface TokenJudge {
  tokensAt(locations: readonly TokenLocation[]): readonly ExtractedToken[];
  /** Every location of every provider, for allow_missing. */
  allTokens(): readonly ExtractedToken[];
  providersFor(token: ExtractedToken): readonly CompiledProvider[];
  judge(
    provider: CompiledProvider,
    token: ExtractedToken,
    audiences: readonly string[] | undefined,
  ): VerifiedToken | JwtStatus;
}

export function unionLocations(providers: Iterable<CompiledProvider>): TokenLocation[] {
  const byKey = new Map<string, TokenLocation>();
  for (const p of providers) for (const l of p.locations) byKey.set(locationKey(l), l);
  return [...byKey.values()];
}

export function evaluateRequirement(requirement: Requirement, judge: TokenJudge): RequirementResult {
  switch (requirement.kind) {
    case 'none':
      return { ok: true, verified: [] };
    case 'provider': {
      const tokens = judge.tokensAt(requirement.provider.locations);
      if (tokens.length === 0) return { ok: false, status: JWT_STATUS.missing };
      const verified: VerifiedToken[] = [];
      for (const token of tokens) {
        const verdict = judge.judge(requirement.provider, token, requirement.audiences);
        if (typeof verdict === 'string') return { ok: false, status: verdict };
        verified.push(verdict);
      }
      return { ok: true, verified };
    }
    case 'allow-missing': {
      const verified: VerifiedToken[] = [];
      for (const token of judge.allTokens()) {
        const verdict = judgeByIssuer(judge, token);
        if (typeof verdict !== 'string') verified.push(verdict);
        else if (!requirement.orFailed) return { ok: false, status: verdict };
      }
      return { ok: true, verified };
    }
    case 'any': {
      let failure: JwtStatus | undefined;
      for (const child of requirement.children) {
        const result = evaluateRequirement(child, judge);
        if (result.ok) return result;
        // A reason about a present token says more than "missing".
        if (failure === undefined || failure === JWT_STATUS.missing) failure = result.status;
      }
      return { ok: false, status: failure ?? JWT_STATUS.missing };
    }
    case 'all': {
      const verified: VerifiedToken[] = [];
      for (const child of requirement.children) {
        const result = evaluateRequirement(child, judge);
        if (!result.ok) return result;
        verified.push(...result.verified);
      }
      return { ok: true, verified };
    }
  }
}

/** allow_missing: the token is judged by the provider naming its issuer; none names it → unknown issuer. */
function judgeByIssuer(judge: TokenJudge, token: ExtractedToken): VerifiedToken | JwtStatus {
  const candidates = judge.providersFor(token);
  if (candidates.length === 0) return JWT_STATUS.unknownIssuer;
  let first: JwtStatus | undefined;
  for (const provider of candidates) {
    const verdict = judge.judge(provider, token, undefined);
    if (typeof verdict !== 'string') return verdict;
    first ??= verdict;
  }
  return first ?? JWT_STATUS.unknownIssuer;
}
