// What issues certificates: the signing certificate and key, the chain up to (not including) the root, the root.
import type { X509Certificate } from './x509.ts';
import type { CryptoKey } from './web-crypto-types.ts';

export interface SigningAuthority {
  /** The certificate whose key signs leaves; the root itself for a self-signed CA. */
  readonly cert: X509Certificate;
  readonly key: CryptoKey;
  /** Signer first, up to the certificate the root signed; empty when the signer is the root. */
  readonly chain: readonly X509Certificate[];
  readonly root: X509Certificate;
}

/** The chain a workload receives after its leaf: intermediates, then the root (Istio's `cert_chain` order). */
export function issuedChainTail(authority: SigningAuthority): readonly X509Certificate[] {
  return [...authority.chain, authority.root];
}

/** The earliest notAfter among the signing chain and root: when this authority stops being able to issue. */
export function authorityExpiry(authority: SigningAuthority): Date {
  const dates = [...authority.chain, authority.root].map((cert) => cert.notAfter.getTime());
  return new Date(Math.min(...dates));
}
