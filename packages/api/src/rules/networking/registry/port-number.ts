// Port numbers written by users: why a number is not a usable port, phrased for findings.
import { isValidPort } from '../../common/values.ts';

/** Why `value` is not a port, or undefined; negative numbers are left to the schema, which reports them. */
export function portNumberProblem(value: number, hint = ''): string | undefined {
  if (value < 0 || isValidPort(value)) return undefined;
  return `${String(value)} is not a port number; use 1 to 65535${hint}`;
}
