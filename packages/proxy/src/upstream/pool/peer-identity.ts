// Checks the upstream's certificate against the cluster's SAN matchers (match_subject_alt_names and the typed
// form) or, with auto_san_validation, against the SNI sent; run on every handshake, trusted chain or not.
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import type { SanMatcher, SanType } from '../config/tls-config.ts';

interface San {
  readonly type: Exclude<SanType, 'ANY'> | 'OTHER';
  readonly value: string;
}

const TYPES: Record<string, San['type']> = { DNS: 'DNS', URI: 'URI', email: 'EMAIL', 'IP Address': 'IP' };

/** Node's `subjectaltname` text (`DNS:a, URI:spiffe://…, IP Address:1.2.3.4`), values JSON-quoted when odd. */
export function parseSubjectAltNames(text: string | undefined): San[] | Error {
  const out: San[] = [];
  if (!text) return out;
  let i = 0;
  while (i < text.length) {
    const colon = text.indexOf(':', i);
    if (colon < 0) break;
    const type = TYPES[text.slice(i, colon)] ?? 'OTHER';
    let value: string;
    let end: number;
    if (text[colon + 1] === '"') {
      end = colon + 2;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      try {
        value = JSON.parse(text.slice(colon + 1, end + 1)) as string;
      } catch {
        return new Error('unparseable subject alternative name');
      }
      end += 1;
    } else {
      end = text.indexOf(', ', colon);
      if (end < 0) end = text.length;
      value = text.slice(colon + 1, end);
    }
    if (value.includes('\0')) return new Error('subject alternative name contains a NUL byte');
    out.push({ type, value });
    i = text.startsWith(', ', end) ? end + 2 : end;
  }
  return out;
}

/** A wildcard SAN (`*.example.com`) covers exactly one label. */
function wildcardCovers(san: string, name: string): boolean {
  if (!san.startsWith('*.')) return false;
  const dot = name.indexOf('.');
  return dot > 0 && name.slice(dot + 1).toLowerCase() === san.slice(2).toLowerCase();
}

function matchesAny(sans: readonly San[], matcher: SanMatcher): boolean {
  for (const san of sans) {
    if (san.type === 'OTHER') continue;
    if (matcher.type !== 'ANY' && matcher.type !== san.type) continue;
    if (matcher.matches(san.value)) return true;
    if (san.type === 'DNS' && matcher.exactDns !== undefined && wildcardCovers(san.value, matcher.exactDns))
      return true;
  }
  return false;
}

/** Undefined when the certificate is acceptable; `sniHost` is set only with auto_san_validation. */
export function verifyPeerIdentity(
  cert: PeerCertificate,
  matchers: readonly SanMatcher[],
  sniHost: string | undefined,
): Error | undefined {
  if (matchers.length > 0) {
    const sans = parseSubjectAltNames(cert.subjectaltname);
    if (sans instanceof Error) return sans;
    if (matchers.some((m) => matchesAny(sans, m))) return undefined;
    return new Error(
      `certificate SANs (${cert.subjectaltname ?? 'none'}) match none of the configured names`,
    );
  }
  if (sniHost !== undefined) return checkServerIdentity(sniHost, cert);
  return undefined;
}
