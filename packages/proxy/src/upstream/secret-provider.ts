// Where TLS material comes from: inline in the config, or named SDS secrets (the certificate agent's `default`
// and Secret resources on the ADS stream; see security/mesh-secrets.ts).

export interface TlsCertificateMaterial {
  readonly certificateChain: string;
  readonly privateKey: string;
}

export interface ValidationMaterial {
  /** PEM bundle of trusted roots (several roots during a root rotation). */
  readonly trustedCa: string;
}

export interface SecretProvider {
  certificate(name: string): TlsCertificateMaterial | undefined;
  validation(name: string): ValidationMaterial | undefined;
  /** Called when any named secret changes, so TLS contexts can be rebuilt. */
  onChange(listener: () => void): () => void;
}

/** A provider with no named secrets (unit tests of listeners and clusters). */
export const NO_SECRETS: SecretProvider = {
  certificate: () => undefined,
  validation: () => undefined,
  onChange: () => () => {},
};
