// Kubernetes port formats: port numbers, and container port names / named target ports (IANA service names).
import { describeValue } from '../../mesh/field-checks.ts';

/** An IANA service name: at most 15 characters, lower-case letters, digits and single dashes, one letter. */
export function isIanaServiceName(value: string): boolean {
  return (
    value.length >= 1 &&
    value.length <= 15 &&
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(value) &&
    /[a-z]/.test(value) &&
    !value.includes('--')
  );
}

export function ianaNameProblem(value: string): string | undefined {
  if (isIanaServiceName(value)) return undefined;
  if (value.length > 15) return `"${value}" is longer than 15 characters, the limit for port names`;
  return `"${value}" is not a valid port name: use lower-case letters, digits and single "-", with at least one letter`;
}

/** Why a value is not a port number, with a hint for quoted numbers. */
export function portProblem(value: unknown): string {
  const hint = typeof value === 'string' && /^\d+$/.test(value) ? '; write it without quotes' : '';
  return `${describeValue(value)} is not a port (1-65535)${hint}`;
}
