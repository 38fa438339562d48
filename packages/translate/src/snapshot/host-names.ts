// Host name rules shared by every generator: short-name resolution and wildcard matching, as Istio does them.

export const DEFAULT_DOMAIN_SUFFIX = 'cluster.local';

/**
 * Resolves a host as written in a rule of `namespace`: a name without dots is a short service name in that
 * namespace (`reviews` → `reviews.<ns>.svc.cluster.local`); anything with a dot, or a wildcard, is taken as is.
 */
export function resolveHost(host: string, namespace: string, domainSuffix = DEFAULT_DOMAIN_SUFFIX): string {
  if (host === '*' || host.includes('.')) return host.toLowerCase();
  return `${host.toLowerCase()}.${namespace}.svc.${domainSuffix}`;
}

/** True when `pattern` (exact or leading-wildcard) matches the concrete or wildcard `host`. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*' || pattern === host) return true;
  if (!pattern.startsWith('*')) return false;
  const suffix = pattern.slice(1);
  return host.startsWith('*') ? host.slice(1).endsWith(suffix) : host.endsWith(suffix);
}

/** Higher for more specific patterns, so the best of several matches can be chosen. */
export function hostSpecificity(pattern: string): number {
  return pattern.startsWith('*') ? pattern.length - 1 : pattern.length + 1000;
}

export function labelsMatch(
  selector: Readonly<Record<string, string>> | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!selector) return true;
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
