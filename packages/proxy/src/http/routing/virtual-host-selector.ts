// Envoy's virtual host choice by authority: exact domain, then the longest `*suffix` wildcard, then the
// longest `prefix*` wildcard, then `*`. Each step is tried with the authority as sent, then without its port,
// so `host:port` can never escape a rule written for `host`.

export interface DomainEntry<T> {
  readonly domain: string;
  readonly value: T;
}

export type DomainsResult<T> =
  { readonly select: (authority: string) => T | undefined } | { readonly error: string };

export function stripPort(authority: string): string | undefined {
  // IPv6 literals carry colons inside brackets.
  const colon = authority.lastIndexOf(':');
  if (colon < 0 || authority.indexOf(']', colon) >= 0) return undefined;
  if (colon === authority.length - 1) return undefined;
  for (let i = colon + 1; i < authority.length; i++) {
    const code = authority.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return undefined;
  }
  return authority.slice(0, colon);
}

export function compileDomains<T>(entries: readonly DomainEntry<T>[], ignorePort: boolean): DomainsResult<T> {
  const exact = new Map<string, T>();
  const suffixes: { suffix: string; value: T }[] = [];
  const prefixes: { prefix: string; value: T }[] = [];
  let any: T | undefined;
  const seen = new Set<string>();
  for (const { domain: raw, value } of entries) {
    const domain = raw.toLowerCase();
    if (seen.has(domain)) return { error: `domain ${raw} appears in more than one virtual host` };
    seen.add(domain);
    if (domain === '*') any = value;
    else if (domain.startsWith('*')) suffixes.push({ suffix: domain.slice(1), value });
    else if (domain.endsWith('*')) prefixes.push({ prefix: domain.slice(0, -1), value });
    else if (domain.includes('*'))
      return { error: `domain ${raw} has a wildcard that is neither leading nor trailing` };
    else exact.set(domain, value);
  }
  // Longest first; equal lengths keep config order (stable sort).
  suffixes.sort((a, b) => b.suffix.length - a.suffix.length);
  prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
  const bySuffix = (host: string): T | undefined =>
    suffixes.find((s) => host.length > s.suffix.length && host.endsWith(s.suffix))?.value;
  const byPrefix = (host: string): T | undefined =>
    prefixes.find((p) => host.length > p.prefix.length && host.startsWith(p.prefix))?.value;
  return {
    select(authority) {
      const withoutPort = stripPort(authority);
      const full = ignorePort && withoutPort !== undefined ? withoutPort : authority;
      const bare = full === authority ? withoutPort : undefined;
      return (
        exact.get(full) ??
        (bare !== undefined ? exact.get(bare) : undefined) ??
        bySuffix(full) ??
        (bare !== undefined ? bySuffix(bare) : undefined) ??
        byPrefix(full) ??
        (bare !== undefined ? byPrefix(bare) : undefined) ??
        any
      );
    },
  };
}
