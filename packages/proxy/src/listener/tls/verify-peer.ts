// Checks a client certificate after the handshake, as Envoy's validation context does: chain trust (done by
// OpenSSL), then subject alternative names, then certificate hash / SPKI pins; and derives the SPIFFE identity.
import type { X509Certificate } from 'node:crypto';
import type { CertificateValidationContext } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/common_pb.ts';
import { SubjectAltNameMatcher_SanType as SanTypeEnum } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/common_pb.ts';
import { CertificateValidationContext_TrustChainVerification as TrustChain } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/common_pb.ts';
import {
  certificateHash,
  certificateSpki,
  hasNul,
  parseSubjectAltNames,
  spiffeIdentity,
  type SanType,
  type SubjectAltName,
} from './peer-certificate.ts';
import { compileStringMatcher } from './string-matcher.ts';

export interface PeerVerification {
  readonly requireClientCertificate: boolean;
  readonly acceptUntrusted: boolean;
  readonly allowExpired: boolean;
  /** Any one matching is enough; empty: no SAN constraint. */
  readonly sanMatchers: readonly ((san: SubjectAltName) => boolean)[];
  readonly certificateHashes: ReadonlySet<string>;
  readonly spkiPins: ReadonlySet<string>;
}

/** Named like Envoy's `ssl.*` listener stats. */
export type VerifyFailure =
  'fail_verify_no_cert' | 'fail_verify_error' | 'fail_verify_san' | 'fail_verify_cert_hash';

export type VerifyResult =
  | { readonly ok: true; readonly principal: string | undefined }
  | { readonly ok: false; readonly failure: VerifyFailure };

const SAN_TYPES: Readonly<Record<number, SanType>> = {
  [SanTypeEnum.DNS]: 'DNS',
  [SanTypeEnum.URI]: 'URI',
  [SanTypeEnum.EMAIL]: 'EMAIL',
  [SanTypeEnum.IP_ADDRESS]: 'IP_ADDRESS',
};

export function compilePeerVerification(
  context: CertificateValidationContext | undefined,
): Omit<PeerVerification, 'requireClientCertificate'> | { error: string } {
  if (!context)
    return {
      acceptUntrusted: false,
      allowExpired: false,
      sanMatchers: [],
      certificateHashes: new Set(),
      spkiPins: new Set(),
    };
  if (context.customValidatorConfig) return { error: 'custom_validator_config: not supported' };
  if (context.requireSignedCertificateTimestamp)
    return { error: 'require_signed_certificate_timestamp: not supported' };
  const sanMatchers: ((san: SubjectAltName) => boolean)[] = [];
  for (const [i, matcher] of context.matchSubjectAltNames.entries()) {
    const test = compileStringMatcher(matcher);
    if ('error' in test) return { error: `match_subject_alt_names[${i}]: ${test.error}` };
    sanMatchers.push((san) => san.type !== 'OTHER' && test(san.value));
  }
  for (const [i, typed] of context.matchTypedSubjectAltNames.entries()) {
    const type = SAN_TYPES[typed.sanType];
    if (!type) return { error: `match_typed_subject_alt_names[${i}].san_type: not supported` };
    if (!typed.matcher) return { error: `match_typed_subject_alt_names[${i}].matcher: required` };
    const test = compileStringMatcher(typed.matcher);
    if ('error' in test) return { error: `match_typed_subject_alt_names[${i}]: ${test.error}` };
    sanMatchers.push((san) => san.type === type && test(san.value));
  }
  return {
    acceptUntrusted: context.trustChainVerification === TrustChain.ACCEPT_UNTRUSTED,
    allowExpired: context.allowExpiredCertificate,
    sanMatchers,
    certificateHashes: new Set(context.verifyCertificateHash.map((h) => h.replaceAll(':', '').toLowerCase())),
    spkiPins: new Set(context.verifyCertificateSpki),
  };
}

/** `authorizationError` is OpenSSL's verdict on the chain (undefined when trusted). */
export function verifyPeer(
  verification: PeerVerification,
  cert: X509Certificate | undefined,
  authorizationError: string | undefined,
): VerifyResult {
  if (!cert)
    return verification.requireClientCertificate
      ? { ok: false, failure: 'fail_verify_no_cert' }
      : { ok: true, principal: undefined };
  const trusted = authorizationError === undefined;
  const excused =
    verification.acceptUntrusted || (verification.allowExpired && authorizationError === 'CERT_HAS_EXPIRED');
  if (!trusted && !excused) return { ok: false, failure: 'fail_verify_error' };
  const names = parseSubjectAltNames(cert.subjectAltName);
  if (!names || hasNul(names)) return { ok: false, failure: 'fail_verify_san' };
  if (
    verification.sanMatchers.length > 0 &&
    !names.some((san) => verification.sanMatchers.some((m) => m(san)))
  )
    return { ok: false, failure: 'fail_verify_san' };
  const pinned = verification.certificateHashes.size + verification.spkiPins.size > 0;
  if (
    pinned &&
    !verification.certificateHashes.has(certificateHash(cert)) &&
    !verification.spkiPins.has(certificateSpki(cert))
  )
    return { ok: false, failure: 'fail_verify_cert_hash' };
  // An identity is only as good as the chain behind it.
  return { ok: true, principal: trusted ? spiffeIdentity(names) : undefined };
}
