// The mesh CA: its roots (self-signed in `<dataDir>/ca/`, or plugged in from `cacerts`), the trust bundle, root
// rotation, and issuing leaf certificates.
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../errors.ts';
import { createRoot, openRootRing, removeRootFiles, saveRootRing } from './ca-directory.ts';
import type { CaKeyType } from './key-type.ts';
import { issueLeafCertificate, NOT_BEFORE_SKEW_MS } from './leaf-certificate.ts';
import { loadCacerts } from './load-cacerts.ts';
import { bundlePem } from './pem.ts';
import {
  checkPhase,
  nextPhase,
  rotationState,
  signingRoot,
  withActivatedRoot,
  withFinishedRotation,
  withPreparedRoot,
  type RootRing,
  type RotationPhase,
  type RotationState,
} from './root-ring.ts';
import { authorityExpiry, issuedChainTail, type SigningAuthority } from './signing-authority.ts';
import type { JsonGeneralNames, PublicKey, X509Certificate } from './x509.ts';

export const DEFAULT_WORKLOAD_CERT_TTL_SECONDS = 24 * 3600;
/** Istio's default for `MAX_WORKLOAD_CERT_TTL`. */
export const DEFAULT_MAX_WORKLOAD_CERT_TTL_SECONDS = 90 * 24 * 3600;

export interface CertificateAuthorityOptions {
  /** `<dataDir>/ca`: the self-signed roots live here. */
  readonly dir: string;
  /** A plugged-in CA (ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem); `dir` is then not used for roots. */
  readonly cacertsDir?: string;
  /** For new self-signed roots; ECDSA_P256 by default. */
  readonly keyType?: CaKeyType;
  readonly workloadCertTtlSeconds?: number;
  readonly maxWorkloadCertTtlSeconds?: number;
  readonly now?: () => Date;
}

export interface IssuedCertificate {
  /** Leaf first, root last. */
  readonly chain: readonly X509Certificate[];
  readonly notAfter: Date;
}

export type CaMode = 'self-signed' | 'plugged-in';

type Source =
  | { readonly mode: 'self-signed'; readonly keyType: CaKeyType; ring: RootRing }
  | {
      readonly mode: 'plugged-in';
      readonly authority: SigningAuthority;
      readonly roots: readonly X509Certificate[];
    };

export class CertificateAuthority {
  readonly #dir: string;
  readonly #now: () => Date;
  readonly #defaultTtl: number;
  readonly #maxTtl: number;
  readonly #listeners = new Set<() => void>();
  #source: Source;
  /** Rotations run one at a time, in the order they were asked. */
  #rotating: Promise<unknown> = Promise.resolve();

  private constructor(options: CertificateAuthorityOptions, source: Source) {
    this.#dir = options.dir;
    this.#now = options.now ?? (() => new Date());
    this.#maxTtl = options.maxWorkloadCertTtlSeconds ?? DEFAULT_MAX_WORKLOAD_CERT_TTL_SECONDS;
    this.#defaultTtl = Math.min(
      options.workloadCertTtlSeconds ?? DEFAULT_WORKLOAD_CERT_TTL_SECONDS,
      this.#maxTtl,
    );
    this.#source = source;
  }

  /** Loads (or on first start creates) the CA material; throws a HEDDLE_CA_* error when it is unusable. */
  static async open(options: CertificateAuthorityOptions): Promise<CertificateAuthority> {
    const now = (options.now ?? (() => new Date()))();
    for (const [name, value] of [
      ['workloadCertTtl', options.workloadCertTtlSeconds],
      ['maxWorkloadCertTtl', options.maxWorkloadCertTtlSeconds],
    ] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
        throw new Error(`ca.${name} must be a positive whole number of seconds (got ${String(value)})`);
      }
    }
    if (options.cacertsDir !== undefined) {
      const plugged = await loadCacerts(options.cacertsDir, now);
      return new CertificateAuthority(options, { mode: 'plugged-in', ...plugged });
    }
    const stored = await openRootRing(options.dir, options.keyType ?? 'ECDSA_P256', now);
    return new CertificateAuthority(options, {
      mode: 'self-signed',
      keyType: stored.keyType,
      ring: stored.ring,
    });
  }

  get mode(): CaMode {
    return this.#source.mode;
  }

  /** The key type of self-signed roots; undefined for a plugged-in CA. */
  get keyType(): CaKeyType | undefined {
    return this.#source.mode === 'self-signed' ? this.#source.keyType : undefined;
  }

  get defaultTtlSeconds(): number {
    return this.#defaultTtl;
  }

  get maxTtlSeconds(): number {
    return this.#maxTtl;
  }

  /** Every trusted root, oldest first. */
  trustBundle(): readonly X509Certificate[] {
    return this.#source.mode === 'plugged-in'
      ? this.#source.roots
      : this.#source.ring.roots.map((root) => root.cert);
  }

  trustBundlePem(): string {
    return bundlePem(this.trustBundle());
  }

  /** The certificate and key that sign leaves now. */
  signingAuthority(): SigningAuthority {
    if (this.#source.mode === 'plugged-in') return this.#source.authority;
    const root = signingRoot(this.#source.ring);
    return { cert: root.cert, key: root.key, chain: [], root: root.cert };
  }

  /** When the signing chain stops being usable (the earliest notAfter of signer, intermediates and root). */
  signingChainExpiry(): Date {
    return authorityExpiry(this.signingAuthority());
  }

  /** Undefined for a plugged-in CA, whose roots are rotated by replacing its files. */
  rotation():
    { readonly state: RotationState; readonly next: RotationPhase; readonly signingId: string } | undefined {
    if (this.#source.mode !== 'self-signed') return undefined;
    const ring = this.#source.ring;
    return { state: rotationState(ring), next: nextPhase(ring), signingId: ring.signingId };
  }

  /** Ids of self-signed roots, in bundle order; empty for a plugged-in CA. */
  rootIds(): readonly string[] {
    return this.#source.mode === 'self-signed' ? this.#source.ring.roots.map((root) => root.id) : [];
  }

  /** Called after the bundle or the signing root changed (a push of ROOTCA follows). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Runs one rotation phase (the next one when none is named); returns the phase that ran. */
  rotate(phase?: RotationPhase): Promise<RotationPhase> {
    const run = this.#rotating.then(() => this.#rotate(phase));
    this.#rotating = run.catch(() => undefined);
    return run;
  }

  async #rotate(asked: RotationPhase | undefined): Promise<RotationPhase> {
    const source = this.#source;
    if (source.mode !== 'self-signed') {
      throw new ControlPlaneError(
        CONTROL_PLANE_CODES.CA_ROTATION_UNSUPPORTED,
        'this CA is plugged in from a cacerts directory: rotate its root by adding the new root to root-cert.pem, then replacing ca-cert.pem, ca-key.pem and cert-chain.pem, and restarting',
      );
    }
    const phase = asked ?? nextPhase(source.ring);
    let ring: RootRing;
    let dropped: string[] = [];
    if (phase === 'prepare') {
      // Checked before a key is made, so that an out-of-order call leaves no files behind.
      checkPhase(source.ring, 'prepare');
      const root = await createRoot(this.#dir, source.keyType, this.#now());
      try {
        ring = withPreparedRoot(source.ring, root);
      } catch (error) {
        await removeRootFiles(this.#dir, root.id);
        throw error;
      }
    } else if (phase === 'activate') {
      ring = withActivatedRoot(source.ring);
    } else {
      ring = withFinishedRotation(source.ring);
      dropped = source.ring.roots.filter((root) => root.id !== ring.signingId).map((root) => root.id);
    }
    await saveRootRing(this.#dir, source.keyType, ring, dropped);
    source.ring = ring;
    for (const listener of this.#listeners) listener();
    return phase;
  }

  /**
   * A leaf for `publicKey` with the given SANs. `requestedTtlSeconds` ≤ 0 or absent means the default; more than
   * the maximum is capped to it; the leaf never outlives the signing chain.
   */
  async issue(
    publicKey: PublicKey,
    sans: JsonGeneralNames,
    requestedTtlSeconds?: number,
  ): Promise<IssuedCertificate> {
    const authority = this.signingAuthority();
    const ttl = this.effectiveTtlSeconds(requestedTtlSeconds);
    const now = this.#now();
    const notAfter = new Date(Math.min(now.getTime() + ttl * 1000, authorityExpiry(authority).getTime()));
    const leaf = await issueLeafCertificate({
      publicKey,
      sans,
      issuer: authority.cert,
      signingKey: authority.key,
      notBefore: new Date(now.getTime() - NOT_BEFORE_SKEW_MS),
      notAfter,
    });
    return { chain: [leaf, ...issuedChainTail(authority)], notAfter };
  }

  effectiveTtlSeconds(requested: number | undefined): number {
    if (requested === undefined || requested <= 0) return this.#defaultTtl;
    return Math.min(requested, this.#maxTtl);
  }
}
