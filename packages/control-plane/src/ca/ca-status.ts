// What `GET /apis/v1/ca/roots` reports: the trust bundle root by root, which one signs, and the rotation phase.
import { X509Certificate as NodeX509 } from 'node:crypto';
import type { CertificateAuthority } from './certificate-authority.ts';
import { certificatePem, sameCertificate } from './pem.ts';
import type { RotationPhase, RotationState } from './root-ring.ts';

export interface CaRootStatus {
  /** The self-signed root's id; absent for plugged-in roots. */
  readonly id?: string;
  readonly subject: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** SHA-256 fingerprint, colon-separated hex as openssl prints it. */
  readonly sha256: string;
  /** True for the root that the signing chain ends at. */
  readonly signing: boolean;
  readonly pem: string;
}

export interface CaStatus {
  readonly mode: 'self-signed' | 'plugged-in';
  readonly keyType?: string;
  /** Absent for a plugged-in CA. */
  readonly rotation?: { readonly state: RotationState; readonly next: RotationPhase };
  readonly signingChainExpiry: string;
  readonly roots: readonly CaRootStatus[];
  /** Every root as one PEM text, as proxies receive it in `ROOTCA`. */
  readonly bundle: string;
}

export function caStatus(ca: CertificateAuthority): CaStatus {
  const signingRoot = ca.signingAuthority().root;
  const ids = ca.rootIds();
  const rotation = ca.rotation();
  return {
    mode: ca.mode,
    ...(ca.keyType ? { keyType: ca.keyType } : {}),
    ...(rotation ? { rotation: { state: rotation.state, next: rotation.next } } : {}),
    signingChainExpiry: ca.signingChainExpiry().toISOString(),
    roots: ca.trustBundle().map((cert, i) => ({
      ...(ids[i] !== undefined ? { id: ids[i] } : {}),
      subject: cert.subject,
      serialNumber: cert.serialNumber,
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
      sha256: new NodeX509(Buffer.from(cert.rawData)).fingerprint256,
      signing: sameCertificate(cert, signingRoot),
      pem: certificatePem(cert),
    })),
    bundle: ca.trustBundlePem(),
  };
}
