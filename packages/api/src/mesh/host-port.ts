// `host:port` addresses (collector and discovery addresses), with IPv6 hosts in brackets.
import { checkWildcardHost } from '../rules/common/host.ts';
import { isIP } from '../rules/common/ip.ts';
import { isValidPort } from '../rules/common/values.ts';

/** Returns why `value` is not a `host:port` address, or undefined. */
export function hostPortProblem(value: string): string | undefined {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(value);
  const plain = /^([^:[\]]+):(\d+)$/.exec(value);
  const match = bracketed ?? plain;
  if (!match) return `"${value}" is not host:port; write it like zipkin.istio-system:9411`;
  const host = match[1] ?? '';
  const port = Number(match[2]);
  if (bracketed && isIP(host) !== 6) return `"${host}" in brackets is not an IPv6 address`;
  if (!bracketed) {
    const problem = host.includes('*') ? `host "${host}" must not be a wildcard` : checkWildcardHost(host);
    if (problem) return problem;
  }
  if (!isValidPort(port)) return `port ${match[2]} is not between 1 and 65535`;
  return undefined;
}
