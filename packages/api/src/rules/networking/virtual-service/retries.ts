// Retry policy of an HTTP rule: attempts, per-try timeout, backoff and the conditions that trigger a retry.
import { NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { closestName } from '../../common/values.ts';
import { checkDurationAt, isRecord, numberAt, stringAt, type Obj } from '../value-checks.ts';

// Envoy's x-envoy-retry-on and x-envoy-retry-grpc-on conditions.
const RETRY_ON = [
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'envoy-ratelimited',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
];

// Fields that only mean something when retries are enabled.
const NEEDS_ATTEMPTS = ['perTryTimeout', 'retryOn', 'retryRemoteLocalities'] as const;

function retryOnProblem(entry: string): string | undefined {
  if (entry.trim() !== entry)
    return `"${entry}" has spaces around it; write the conditions separated by commas only, e.g. "5xx,connect-failure"`;
  if (entry === '') return 'has an empty condition (two commas in a row, or a trailing comma); remove it';
  if (RETRY_ON.includes(entry)) return undefined;
  if (/^[1-5]\d\d$/.test(entry)) return undefined;
  const suggestion = closestName(entry, RETRY_ON);
  return `"${entry}" is not a retry condition; use ones such as 5xx, gateway-error, connect-failure, reset or an HTTP status code${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
}

function checkRetryOn(ctx: RuleContext, retries: Obj, path: FieldPath): void {
  const retryOn = stringAt(retries, 'retryOn');
  if (retryOn === undefined || retryOn === '') return;
  for (const entry of retryOn.split(',')) {
    const problem = retryOnProblem(entry);
    if (problem) {
      ctx.error(NETWORKING_CODES.VS_RETRY_ON_INVALID, [...path, 'retryOn'], problem);
      return;
    }
  }
}

export function checkRetries(ctx: RuleContext, retries: unknown, path: FieldPath): void {
  if (!isRecord(retries)) return;
  const attempts = numberAt(retries, 'attempts') ?? 0;
  if (attempts < 0) {
    ctx.error(
      NETWORKING_CODES.VS_RETRY_ATTEMPTS_INVALID,
      [...path, 'attempts'],
      `${attempts} attempts is negative; use 0 to disable retries or a positive number`,
    );
  } else if (attempts === 0) {
    const policy = NEEDS_ATTEMPTS.find(
      (key) => retries[key] !== undefined && retries[key] !== null && retries[key] !== '',
    );
    if (policy) {
      ctx.error(
        NETWORKING_CODES.VS_RETRY_DISABLED_WITH_POLICY,
        [...path, policy],
        `${policy} has no effect because attempts is 0 (retries disabled); set attempts to 1 or more, or remove ${policy}`,
      );
    }
  }
  checkDurationAt(ctx, retries, 'perTryTimeout', path);
  checkDurationAt(ctx, retries, 'backoff', path);
  checkRetryOn(ctx, retries, path);
}
