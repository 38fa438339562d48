// WorkloadGroup readiness probes: exactly one method (httpGet, tcpSocket, exec, grpc) with a usable target.
import { COMMON_CODES, REGISTRY_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { portNumberProblem } from './port-number.ts';
import { isStruct, listAt, numberAt, stringAt, type Struct } from './read.ts';

const METHODS = ['httpGet', 'tcpSocket', 'exec', 'grpc'] as const;

export function checkReadinessProbe(ctx: RuleContext, probe: Struct, path: FieldPath): void {
  const present = METHODS.filter((method) => probe[method] !== undefined && probe[method] !== null);
  // More than one method is a one-of violation the schema reports.
  if (present.length === 0) {
    ctx.error(
      REGISTRY_CODES.WORKLOAD_GROUP_PROBE_METHOD,
      path,
      'a probe needs one way to check readiness: httpGet, tcpSocket, exec or grpc',
    );
    return;
  }
  const httpGet = probe.httpGet;
  if (isStruct(httpGet)) {
    checkProbePort(ctx, httpGet, [...path, 'httpGet']);
    const scheme = stringAt(httpGet.scheme);
    if (scheme && scheme !== 'HTTP' && scheme !== 'HTTPS') {
      ctx.error(
        REGISTRY_CODES.WORKLOAD_GROUP_PROBE_SCHEME,
        [...path, 'httpGet', 'scheme'],
        `"${scheme}" is not a probe scheme; use HTTP or HTTPS (upper case)`,
      );
    }
  }
  if (isStruct(probe.tcpSocket)) checkProbePort(ctx, probe.tcpSocket, [...path, 'tcpSocket']);
  if (isStruct(probe.grpc)) checkProbePort(ctx, probe.grpc, [...path, 'grpc']);
  const exec = probe.exec;
  if (isStruct(exec) && listAt(exec.command).length === 0) {
    ctx.error(
      COMMON_CODES.REQUIRED_FIELD,
      [...path, 'exec', 'command'],
      'exec needs a command to run, e.g. command: ["/bin/check", "--ready"]',
    );
  }
}

function checkProbePort(ctx: RuleContext, target: Struct, path: FieldPath): void {
  // A missing port is reported by the schema.
  const port = numberAt(target.port);
  const problem = port === undefined ? undefined : portNumberProblem(port);
  if (problem) ctx.error(COMMON_CODES.PORT_INVALID, [...path, 'port'], problem);
}
