// Fault injection on an HTTP rule: delays and aborts, and the share of requests they apply to.
import { NETWORKING_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { closestName } from '../../common/values.ts';
import {
  checkDurationAt,
  checkPercentAt,
  isRecord,
  numberAt,
  recordAt,
  stringAt,
  type Obj,
} from '../value-checks.ts';

// The gRPC status names a proxy can send (grpc/doc/statuscodes.md).
const GRPC_STATUSES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

/** HTTP status a proxy may answer with (directResponse, fault abort). */
export function isValidHttpStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 200 && status <= 599;
}

function checkShare(ctx: RuleContext, injection: Obj, path: FieldPath): void {
  const percentage = recordAt(injection, 'percentage');
  if (percentage) checkPercentAt(ctx, percentage, 'value', [...path, 'percentage']);
  checkPercentAt(ctx, injection, 'percent', path);
}

function checkAbort(ctx: RuleContext, abort: Obj, path: FieldPath): void {
  checkShare(ctx, abort, path);
  const httpStatus = numberAt(abort, 'httpStatus');
  const grpcStatus = stringAt(abort, 'grpcStatus');
  if (httpStatus !== undefined && !isValidHttpStatus(httpStatus)) {
    ctx.error(
      NETWORKING_CODES.VS_STATUS_INVALID,
      [...path, 'httpStatus'],
      `${httpStatus} is not an HTTP status an abort can return; use a code from 200 to 599, e.g. 503`,
    );
  }
  if (grpcStatus !== undefined && !GRPC_STATUSES.includes(grpcStatus)) {
    const suggestion = closestName(grpcStatus, GRPC_STATUSES);
    ctx.error(
      NETWORKING_CODES.VS_FAULT_ABORT_INVALID,
      [...path, 'grpcStatus'],
      `"${grpcStatus}" is not a gRPC status name; use one such as UNAVAILABLE or INTERNAL${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
    );
  }
  if (httpStatus === undefined && grpcStatus === undefined) {
    ctx.error(
      NETWORKING_CODES.VS_FAULT_ABORT_INVALID,
      path,
      'an abort needs the status to return: httpStatus (e.g. 503) or grpcStatus (e.g. UNAVAILABLE)',
    );
  }
}

function checkDelay(ctx: RuleContext, delay: Obj, path: FieldPath): void {
  checkShare(ctx, delay, path);
  checkDurationAt(ctx, delay, 'fixedDelay', path);
  if (delay.exponentialDelay !== undefined) {
    ctx.error(
      NETWORKING_CODES.VS_FAULT_DELAY_INVALID,
      [...path, 'exponentialDelay'],
      'exponentialDelay is not supported; use fixedDelay',
    );
  } else if (delay.fixedDelay === undefined) {
    ctx.error(
      NETWORKING_CODES.VS_FAULT_DELAY_INVALID,
      path,
      'a delay needs fixedDelay, the time to hold each affected request (e.g. fixedDelay: 5s)',
    );
  }
}

export function checkFault(ctx: RuleContext, fault: unknown, path: FieldPath): void {
  if (!isRecord(fault)) return;
  const abort = recordAt(fault, 'abort');
  const delay = recordAt(fault, 'delay');
  if (!abort && !delay) {
    ctx.error(NETWORKING_CODES.VS_FAULT_EMPTY, path, 'fault injection needs an abort, a delay, or both');
  }
  if (abort) checkAbort(ctx, abort, [...path, 'abort']);
  if (delay) checkDelay(ctx, delay, [...path, 'delay']);
}
