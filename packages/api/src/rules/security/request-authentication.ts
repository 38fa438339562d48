// Semantic rules for RequestAuthentication: policy target and each JWT rule (issuer, keys, token locations).
import { COMMON_CODES, SECURITY_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { KindValidator, RuleContext } from '../../validate/rule-context.ts';
import { checkDuration } from '../common/duration.ts';
import { isIP } from '../common/ip.ts';
import { checkPolicyTarget } from '../common/target-ref.ts';
import { jwksProblems } from './jwks.ts';

const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isLoopback(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || (isIP(bare) === 4 && bare.startsWith('127.'));
}

function checkJwksUri(ctx: RuleContext, uri: string, path: FieldPath): void {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    ctx.error(
      SECURITY_CODES.REQUEST_AUTHN_JWKS_URI_INVALID,
      path,
      `"${uri}" is not a URL; write the full address, e.g. "https://example.com/.well-known/jwks.json"`,
    );
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    ctx.error(
      SECURITY_CODES.REQUEST_AUTHN_JWKS_URI_INVALID,
      path,
      `keys can only be fetched over https:// or http://, not ${url.protocol}//; use an https URL`,
    );
    return;
  }
  if (url.hostname === '') {
    ctx.error(SECURITY_CODES.REQUEST_AUTHN_JWKS_URI_INVALID, path, `"${uri}" has no host name`);
    return;
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    ctx.warn(
      SECURITY_CODES.REQUEST_AUTHN_JWKS_URI_INSECURE,
      path,
      'the keys are fetched over plain http, so anyone on the network path can substitute their own and forge tokens; use https',
    );
  }
}

function checkHeaderName(ctx: RuleContext, name: unknown, path: FieldPath): void {
  if (nonEmptyString(name) && !HEADER_TOKEN.test(name)) {
    ctx.error(
      COMMON_CODES.HEADER_NAME_INVALID,
      path,
      `"${name}" is not a valid HTTP header name; use letters, digits and "-" (e.g. "x-jwt-assertion")`,
    );
  }
}

function checkKeySource(ctx: RuleContext, rule: Record<string, unknown>, path: FieldPath): void {
  const uriField = rule.jwksUri !== undefined ? 'jwksUri' : 'jwks_uri';
  const uri = rule[uriField];
  if (nonEmptyString(rule.jwksUri) && nonEmptyString(rule.jwks_uri)) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      [...path, 'jwks_uri'],
      '"jwks_uri" is another spelling of "jwksUri"; keep only "jwksUri"',
    );
  }
  if (nonEmptyString(rule.jwks) && nonEmptyString(uri)) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      [...path, 'jwks'],
      `set either inline "jwks" or "${uriField}", not both (the URI would be ignored); keep one`,
    );
  }
  if (nonEmptyString(uri)) checkJwksUri(ctx, uri, [...path, uriField]);
  if (nonEmptyString(rule.jwks)) {
    for (const problem of jwksProblems(rule.jwks)) {
      const code =
        problem.level === 'Warning'
          ? SECURITY_CODES.REQUEST_AUTHN_JWKS_PRIVATE_KEY
          : SECURITY_CODES.REQUEST_AUTHN_JWKS_INVALID;
      ctx.report(problem.level, code, [...path, 'jwks'], `the inline JWKS ${problem.message}`);
    }
  }
}

// Empty or null audiences, token locations and claim mappings are reported by the CRD schema (minLength 1,
// required, pattern on outputClaimToHeaders[].header); what is left is the header names it does not constrain.
function checkHeaderNames(ctx: RuleContext, rule: Record<string, unknown>, path: FieldPath): void {
  if (Array.isArray(rule.fromHeaders)) {
    rule.fromHeaders.forEach((header: unknown, index) => {
      if (isRecord(header)) checkHeaderName(ctx, header.name, [...path, 'fromHeaders', index, 'name']);
    });
  }
  checkHeaderName(ctx, rule.outputPayloadToHeader, [...path, 'outputPayloadToHeader']);
}

function checkJwtRule(ctx: RuleContext, rule: unknown, path: FieldPath): void {
  if (!isRecord(rule)) return;
  // An empty issuer is reported by the schema (minLength 1); a missing one is fine when jwksUri is set.
  if (rule.issuer === undefined && !nonEmptyString(rule.jwksUri) && !nonEmptyString(rule.jwks_uri)) {
    ctx.error(
      SECURITY_CODES.REQUEST_AUTHN_ISSUER_REQUIRED,
      path,
      'a JWT rule needs an "issuer" (the "iss" of accepted tokens) or a "jwksUri" to fetch keys from; add the issuer',
    );
  }
  checkKeySource(ctx, rule, path);
  checkHeaderNames(ctx, rule, path);
  if (rule.timeout !== undefined && rule.timeout !== null) {
    const problem = checkDuration(rule.timeout);
    if (problem) ctx.error(COMMON_CODES.DURATION_INVALID, [...path, 'timeout'], problem.message);
  }
}

export const validateRequestAuthentication: KindValidator = (ctx, spec) => {
  checkPolicyTarget(ctx, spec);
  if (!Array.isArray(spec.jwtRules)) return;
  spec.jwtRules.forEach((rule: unknown, index) => checkJwtRule(ctx, rule, ['spec', 'jwtRules', index]));
};
