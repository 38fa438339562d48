// Turns a compiled transport socket into what a connection needs: nothing for plaintext, a SecureContext
// for TLS. SDS material is looked up here, cached until any secret changes; a missing secret fails the
// connection (connect-failure) with one clear log line per change, never a plaintext fallback.
import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import { AttemptError, connectFailure } from '../attempt-error.ts';
import type { TransportSocketConfig } from '../config/transport-config.ts';
import type { UpstreamTlsConfig } from '../config/tls-config.ts';
import type { SecretProvider } from '../secret-provider.ts';

export type ResolvedTransport =
  | { readonly kind: 'plaintext' }
  | {
      readonly kind: 'tls';
      readonly secureContext: SecureContext;
      readonly rejectUnauthorized: boolean;
      readonly config: UpstreamTlsConfig;
    };

const PLAINTEXT: ResolvedTransport = { kind: 'plaintext' };

export class TransportResolver {
  readonly #secrets: SecretProvider;
  readonly #cluster: string;
  readonly #log: (message: string) => void;
  readonly #cache = new Map<TransportSocketConfig, ResolvedTransport | AttemptError>();

  constructor(secrets: SecretProvider, cluster: string, log: (message: string) => void) {
    this.#secrets = secrets;
    this.#cluster = cluster;
    this.#log = log;
  }

  resolve(socket: TransportSocketConfig): ResolvedTransport | AttemptError {
    if (socket.kind === 'plaintext') return PLAINTEXT;
    let resolved = this.#cache.get(socket);
    if (!resolved) {
      resolved = this.#build(socket.tls);
      if (resolved instanceof AttemptError) this.#log(resolved.message);
      this.#cache.set(socket, resolved);
    }
    return resolved;
  }

  /** Any SDS secret changed: new connections pick up the new material. */
  invalidate(): void {
    this.#cache.clear();
  }

  #build(tls: UpstreamTlsConfig): ResolvedTransport | AttemptError {
    const options: SecureContextOptions = {};
    if (tls.certificate) {
      const material =
        'inline' in tls.certificate ? tls.certificate.inline : this.#secrets.certificate(tls.certificate.sds);
      if (!material) return this.#missing('certificate', (tls.certificate as { sds: string }).sds);
      options.cert = 'chain' in material ? material.chain : material.certificateChain;
      options.key = 'key' in material ? material.key : material.privateKey;
      if ('passphrase' in material && material.passphrase !== undefined)
        options.passphrase = material.passphrase;
    }
    if (tls.trustedCa) {
      if ('inline' in tls.trustedCa) {
        options.ca = tls.trustedCa.inline;
      } else {
        const validation = this.#secrets.validation(tls.trustedCa.sds);
        if (!validation) return this.#missing('validation context', tls.trustedCa.sds);
        options.ca = validation.trustedCa;
      }
    }
    if (tls.crl !== undefined) options.crl = tls.crl;
    if (tls.minVersion) options.minVersion = tls.minVersion;
    if (tls.maxVersion) options.maxVersion = tls.maxVersion;
    if (tls.ciphers !== undefined) options.ciphers = tls.ciphers;
    if (tls.ecdhCurve !== undefined) options.ecdhCurve = tls.ecdhCurve;
    if (tls.sigalgs !== undefined) options.sigalgs = tls.sigalgs;
    let secureContext: SecureContext;
    try {
      secureContext = createSecureContext(options);
    } catch (err) {
      return connectFailure(
        `cluster '${this.#cluster}': invalid TLS material: ${(err as Error).message}`,
        err,
      );
    }
    const verifyChain = tls.trustedCa !== undefined || tls.systemRoots;
    return {
      kind: 'tls',
      secureContext,
      rejectUnauthorized: verifyChain && !tls.acceptUntrusted,
      config: tls,
    };
  }

  #missing(what: string, name: string): AttemptError {
    return new AttemptError(
      'connect-failure',
      'HEDDLE_UPSTREAM_SECRET_MISSING',
      `cluster '${this.#cluster}': upstream TLS ${what} secret '${name}' has not been received (SDS); connections fail until it arrives`,
    );
  }
}
