// Fully qualified host names that a resolver can look up: no wildcard, valid labels, not an IP.

const LABEL = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;

/** Why `host` cannot be resolved by DNS as written, or undefined. */
export function fqdnProblem(host: string): string | undefined {
  if (host.length === 0) return 'a host name is required';
  if (host.includes('*')) return `"${host}" is a wildcard, which DNS cannot resolve`;
  if (host.length > 255) return `"${host}" is longer than 255 characters`;
  const labels = host.endsWith('.') ? host.slice(0, -1).split('.') : host.split('.');
  for (const label of labels) {
    if (label.length > 63 || !LABEL.test(label))
      return `"${host}" is not a valid DNS name (label "${label}")`;
  }
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return `"${host}" ends in a numeric label`;
  return undefined;
}
