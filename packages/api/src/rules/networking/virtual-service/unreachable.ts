// Rules and matches no request can reach, because an earlier rule or match always takes those requests first.
import { NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { canonicalJson, isRecord, listAt, stringAt, type Obj } from '../value-checks.ts';

export type RuleKind = 'http' | 'tcp' | 'tls';

// Match fields that name or count a match without narrowing which requests it takes.
const NEUTRAL = ['name', 'statPrefix'];

function without(match: Obj, keys: readonly string[]): Obj {
  return Object.fromEntries(Object.entries(match).filter(([key]) => !keys.includes(key)));
}

function matchesEveryPath(uri: unknown): boolean {
  return isRecord(uri) && Object.keys(uri).length === 1 && (uri.prefix === '' || uri.prefix === '/');
}

/** A match with no narrowing condition takes every request. */
function isCatchAll(match: Obj, kind: RuleKind): boolean {
  const rest = without(match, [...NEUTRAL, 'ignoreUriCase']);
  const keys = Object.keys(rest);
  if (kind === 'http' && keys.length === 1 && keys[0] === 'uri') return matchesEveryPath(rest.uri);
  return keys.length === 0;
}

/** True when every request `later` takes is already taken by `earlier`. */
function covers(earlier: Obj, later: Obj, kind: RuleKind): boolean {
  if (kind !== 'http')
    return canonicalJson(without(earlier, NEUTRAL)) === canonicalJson(without(later, NEUTRAL));
  const uriKeys = [...NEUTRAL, 'uri', 'ignoreUriCase'];
  if (canonicalJson(without(earlier, uriKeys)) !== canonicalJson(without(later, uriKeys))) return false;
  const a = earlier.uri;
  const b = later.uri;
  if (!isRecord(a)) return true;
  if (!isRecord(b)) return false;
  const foldA = earlier.ignoreUriCase === true;
  if (later.ignoreUriCase === true && !foldA) return false;
  const norm = (text: unknown): string | undefined =>
    typeof text === 'string' ? (foldA ? text.toLowerCase() : text) : undefined;
  const [exactA, prefixA] = [norm(a.exact), norm(a.prefix)];
  const [exactB, prefixB] = [norm(b.exact), norm(b.prefix)];
  if (exactA !== undefined) return exactB === exactA;
  if (prefixA !== undefined) {
    const candidate = exactB ?? prefixB;
    return candidate !== undefined && candidate.startsWith(prefixA);
  }
  return canonicalJson(a) === canonicalJson(b) && earlier.ignoreUriCase === later.ignoreUriCase;
}

function label(kind: RuleKind, rule: Obj, index: number): string {
  const name = stringAt(rule, 'name');
  return name ? `${kind}[${index}] ("${name}")` : `${kind}[${index}]`;
}

interface SeenMatch {
  readonly match: Obj;
  readonly where: string;
}

export function checkUnreachableRules(
  ctx: RuleContext,
  rules: readonly unknown[],
  path: FieldPath,
  kind: RuleKind,
): void {
  const seen: SeenMatch[] = [];
  let catchAll: string | undefined;
  rules.forEach((rule, index) => {
    if (!isRecord(rule)) return;
    const at = [...path, index];
    if (catchAll !== undefined) {
      ctx.warn(
        NETWORKING_CODES.VS_UNREACHABLE_RULE,
        at,
        `this rule is never used: ${catchAll} before it takes every request; move it above that rule or narrow that rule's match`,
      );
      return;
    }
    const matches = listAt(rule, 'match').filter(isRecord);
    if (matches.length === 0 || matches.some((match) => isCatchAll(match, kind))) {
      catchAll = label(kind, rule, index);
      return;
    }
    const shadowed: Array<{ readonly index: number; readonly by: string }> = [];
    matches.forEach((match, matchIndex) => {
      const earlier = seen.find((candidate) => covers(candidate.match, match, kind));
      if (earlier) shadowed.push({ index: matchIndex, by: earlier.where });
      else seen.push({ match, where: `${label(kind, rule, index)} match[${matchIndex}]` });
    });
    if (shadowed.length === matches.length) {
      const by = [...new Set(shadowed.map((s) => s.by))].join(', ');
      ctx.warn(
        NETWORKING_CODES.VS_UNREACHABLE_RULE,
        at,
        `this rule is never used: every request it matches is already taken by ${by}; reorder the rules or change the matches`,
      );
      return;
    }
    for (const { index: matchIndex, by } of shadowed) {
      ctx.info(
        NETWORKING_CODES.VS_INEFFECTIVE_MATCH,
        [...at, 'match', matchIndex],
        `this match never applies: ${by} comes first and takes every request it would match`,
      );
    }
  });
}
