// Load balancer settings of a DestinationRule: the algorithm, consistent hashing, locality and warmup.
import { COMMON_CODES, NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import {
  checkDurationAt,
  isRecord,
  isSet,
  listAt,
  numberAt,
  recordAt,
  stringAt,
  type Obj,
} from '../value-checks.ts';
import { headerNameProblem } from '../virtual-service/headers.ts';
import { checkLocalityLbSetting } from './locality.ts';

// Envoy caps the Maglev lookup table below this size, and needs a prime.
const MAGLEV_LIMIT = 5_000_011;
// Slow start exists only for these algorithms (LEAST_REQUEST is the default).
const WARMUP_ALGORITHMS = ['ROUND_ROBIN', 'LEAST_REQUEST', 'UNSPECIFIED'];

function isPrime(n: number): boolean {
  if (n < 2 || !Number.isInteger(n)) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

function nextPrime(n: number): number {
  let candidate = Math.max(2, Math.ceil(n));
  while (!isPrime(candidate)) candidate++;
  return candidate;
}

function checkCookie(ctx: RuleContext, cookie: Obj, path: FieldPath): void {
  if (cookie.name === '') {
    ctx.error(COMMON_CODES.REQUIRED_FIELD, [...path, 'name'], 'is required: name the cookie to hash on');
  }
  checkDurationAt(ctx, cookie, 'ttl', path, { minMs: 0 });
  const names = new Set<string>();
  listAt(cookie, 'attributes').forEach((attribute, index) => {
    if (!isRecord(attribute)) return;
    const name = stringAt(attribute, 'name');
    const at = [...path, 'attributes', index, 'name'];
    if (name === '') {
      ctx.error(COMMON_CODES.REQUIRED_FIELD, at, 'is required: name the cookie attribute, e.g. SameSite');
    } else if (name !== undefined && names.has(name.toLowerCase())) {
      ctx.error(COMMON_CODES.DUPLICATE_ENTRY, at, `cookie attribute "${name}" is set twice; keep one`);
    } else if (name !== undefined) {
      names.add(name.toLowerCase());
    }
  });
}

function checkMaglev(ctx: RuleContext, maglev: Obj, path: FieldPath): void {
  const size = numberAt(maglev, 'tableSize');
  if (size === undefined || size === 0) {
    ctx.error(
      NETWORKING_CODES.DR_MAGLEV_TABLE_SIZE_INVALID,
      size === undefined ? path : [...path, 'tableSize'],
      'maglev needs tableSize, a prime number below 5000011 (for example 65537)',
    );
  } else if (size >= MAGLEV_LIMIT) {
    ctx.error(
      NETWORKING_CODES.DR_MAGLEV_TABLE_SIZE_INVALID,
      [...path, 'tableSize'],
      `${size} is too large; tableSize must be a prime below 5000011 (for example 65537)`,
    );
  } else if (size > 0 && !isPrime(size)) {
    ctx.error(
      NETWORKING_CODES.DR_MAGLEV_TABLE_SIZE_INVALID,
      [...path, 'tableSize'],
      `${size} is not a prime number; use a prime such as ${nextPrime(size)}`,
    );
  }
}

function checkConsistentHash(ctx: RuleContext, hash: Obj, path: FieldPath): void {
  const keys = ['httpHeaderName', 'httpCookie', 'httpQueryParameterName'].filter((key) => isSet(hash[key]));
  if (keys.length === 0 && hash.useSourceIp !== true) {
    ctx.warn(
      NETWORKING_CODES.DR_HASH_KEY_MISSING,
      path,
      'consistentHash has nothing to hash on, so requests are spread without affinity; set httpHeaderName, httpCookie, httpQueryParameterName or useSourceIp',
    );
  }
  const header = stringAt(hash, 'httpHeaderName');
  const headerProblem = header === undefined ? undefined : headerNameProblem(header);
  if (headerProblem) ctx.error(COMMON_CODES.HEADER_NAME_INVALID, [...path, 'httpHeaderName'], headerProblem);
  const cookie = recordAt(hash, 'httpCookie');
  if (cookie) checkCookie(ctx, cookie, [...path, 'httpCookie']);
  // The field layer already warns that minimumRingSize is deprecated; here only the combination is wrong.
  const legacyRing = numberAt(hash, 'minimumRingSize');
  if (
    legacyRing !== undefined &&
    legacyRing !== 0 &&
    (hash.ringHash !== undefined || hash.maglev !== undefined)
  ) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      [...path, 'minimumRingSize'],
      'minimumRingSize cannot be combined with ringHash or maglev; move the value to ringHash.minimumRingSize',
    );
  }
  const maglev = recordAt(hash, 'maglev');
  if (maglev) checkMaglev(ctx, maglev, [...path, 'maglev']);
}

function checkWarmup(ctx: RuleContext, lb: Obj, path: FieldPath): void {
  const warmup = recordAt(lb, 'warmup');
  if (warmup) {
    checkDurationAt(ctx, warmup, 'duration', [...path, 'warmup']);
    const aggression = numberAt(warmup, 'aggression');
    if (aggression !== undefined && aggression <= 0) {
      ctx.error(
        NETWORKING_CODES.DR_WARMUP_INVALID,
        [...path, 'warmup', 'aggression'],
        `aggression must be greater than 0 (1 ramps traffic up linearly); ${aggression} is not`,
      );
    }
  }
  checkDurationAt(ctx, lb, 'warmupDurationSecs', path);
  if (warmup && lb.warmupDurationSecs !== undefined) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      [...path, 'warmupDurationSecs'],
      'warmupDurationSecs and warmup both set the warmup; keep only warmup',
    );
  }
  const simple = stringAt(lb, 'simple');
  const algorithm = lb.consistentHash !== undefined ? 'consistent hashing' : simple;
  if (
    (warmup || lb.warmupDurationSecs !== undefined) &&
    algorithm &&
    !WARMUP_ALGORITHMS.includes(algorithm)
  ) {
    ctx.warn(
      NETWORKING_CODES.DR_WARMUP_IGNORED,
      [...path, warmup ? 'warmup' : 'warmupDurationSecs'],
      `warmup only works with ROUND_ROBIN and LEAST_REQUEST, so it is ignored with ${algorithm}`,
    );
  }
}

export function checkLoadBalancer(ctx: RuleContext, lb: unknown, path: FieldPath): void {
  if (!isRecord(lb)) return;
  if (lb.simple === 'LEAST_CONN') {
    ctx.warn(
      COMMON_CODES.DEPRECATED_VALUE,
      [...path, 'simple'],
      '"LEAST_CONN" is deprecated; write "LEAST_REQUEST", which is the same algorithm',
    );
  }
  const hash = recordAt(lb, 'consistentHash');
  if (hash) checkConsistentHash(ctx, hash, [...path, 'consistentHash']);
  checkLocalityLbSetting(ctx, lb.localityLbSetting, [...path, 'localityLbSetting']);
  checkWarmup(ctx, lb, path);
}
