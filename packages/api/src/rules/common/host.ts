// Host names as Istio accepts them: DNS names, a leading `*` wildcard, or IP addresses.
import { isIP } from './ip.ts';

const DNS_LABEL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

/** Returns why `host` is not a valid (optionally wildcard) host name, or undefined. */
export function checkWildcardHost(host: string, options: { allowIp?: boolean } = {}): string | undefined {
  if (host.length === 0) return 'host must not be empty';
  if (host === '*') return undefined;
  if ((options.allowIp ?? true) && isIP(host) !== 0) return undefined;
  if (host.length > 255) return `host "${host}" is longer than 255 characters`;
  let rest = host;
  if (rest.startsWith('*.')) rest = rest.slice(2);
  else if (rest.startsWith('*')) rest = rest.slice(1);
  if (rest.includes('*'))
    return `host "${host}" may only have a wildcard as its first character ("*.example.com")`;
  const labels = rest.split('.');
  // A trailing dot (fully qualified) is allowed.
  if (labels[labels.length - 1] === '') labels.pop();
  for (const label of labels) {
    if (label.length > 63) return `host "${host}" has a label longer than 63 characters`;
    if (!DNS_LABEL.test(label)) return `host "${host}" is not a valid DNS name (label "${label}")`;
  }
  return undefined;
}

/** True when `a` matches every host `b` matches, with Istio's leading-wildcard semantics. */
export function hostCovers(a: string, b: string): boolean {
  if (a === b || a === '*') return true;
  if (!a.startsWith('*')) return false;
  const suffix = a.slice(1);
  return b.startsWith('*') ? b.slice(1).endsWith(suffix) : b.endsWith(suffix);
}
