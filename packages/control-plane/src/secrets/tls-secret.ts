// The shapes of the local secret store: what a client sends, what is kept on disk, and what is listed back.

/** A request to store a TLS secret, as the HTTP API takes it (PEM text in each field). */
export interface TlsSecretInput {
  /** `istio-system` when absent: credentialName is read in the gateway's namespace, and gateways run there. */
  readonly namespace?: string;
  readonly name: string;
  /** `tls.crt`: the server certificate, then its intermediates. */
  readonly certificateChain?: string;
  /** `tls.key`: the private key of the chain's first certificate. */
  readonly privateKey?: string;
  /** `ca.crt`: CA certificates that verify client certificates (MUTUAL). */
  readonly caCertificate?: string;
}

/** A validated secret, its PEM re-encoded one block per line, as it is written to disk. */
export interface StoredTlsSecret {
  readonly namespace: string;
  readonly name: string;
  readonly certificateChain?: string;
  readonly privateKey?: string;
  readonly caCertificate?: string;
  /** ISO 8601; kept when the secret is replaced. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One certificate as a listing shows it. */
export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  /** DNS names and IP addresses of the subjectAltName, e.g. `DNS:shop.example.com`. */
  readonly subjectAltNames: readonly string[];
  readonly notBefore: string;
  readonly notAfter: string;
  readonly serialNumber: string;
  readonly sha256: string;
}

/** What the API lists: never the private key. */
export interface TlsSecretSummary {
  readonly namespace: string;
  readonly name: string;
  /** `tls`: a certificate and key (maybe with `ca.crt`); `ca`: only a CA bundle (e.g. `<name>-cacert`). */
  readonly type: 'tls' | 'ca';
  /** The Kubernetes secret keys it holds: `tls.crt`, `tls.key`, `ca.crt`. */
  readonly keys: readonly string[];
  /** The chain's first certificate. */
  readonly certificate?: CertificateSummary;
  /** Certificates in the chain (leaf included). */
  readonly chainLength?: number;
  /** The CA certificates of `ca.crt`. */
  readonly caCertificates?: readonly CertificateSummary[];
  readonly createdAt: string;
  readonly updatedAt: string;
}
