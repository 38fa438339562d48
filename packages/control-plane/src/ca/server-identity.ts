// The control plane's own certificate for the TLS xDS/CA port, issued by its CA and renewed at half-life or
// when the signing root changes; gRPC picks up each renewal through a certificate provider.
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import type { ServerCredentials } from '@grpc/grpc-js';
import { experimental } from '@grpc/grpc-js';
import type { Logger } from '../server/logger.ts';
import type { CertificateAuthority } from './certificate-authority.ts';
import { exportPrivateKeyPem, generateKeyPair } from './key-type.ts';
import { bundlePem } from './pem.ts';
import { PublicKey, webCrypto, type JsonGeneralNames } from './x509.ts';

/** The name proxies dial in Istio (`discoveryAddress: istiod.istio-system.svc:15012`). */
export const CONTROL_PLANE_SERVICE_NAME = 'istiod.istio-system.svc';
export const SERVER_CERT_TTL_SECONDS = 24 * 3600;

type IdentityListener = experimental.IdentityCertificateUpdateListener;

/** SANs for the listen host: the service name, plus the host itself (or loopback and this machine for `0.0.0.0`). */
export function serverSans(listenHost: string): JsonGeneralNames {
  const sans: JsonGeneralNames = [{ type: 'dns', value: CONTROL_PLANE_SERVICE_NAME }];
  const unspecified = listenHost === '0.0.0.0' || listenHost === '::' || listenHost === '';
  if (unspecified) {
    sans.push({ type: 'ip', value: '127.0.0.1' }, { type: 'dns', value: 'localhost' });
    const name = hostname().toLowerCase();
    if (/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) sans.push({ type: 'dns', value: name });
  } else if (isIP(listenHost)) {
    sans.push({ type: 'ip', value: listenHost });
  } else {
    sans.push({ type: 'dns', value: listenHost.toLowerCase() });
  }
  return sans;
}

export class ServerIdentity implements experimental.CertificateProvider {
  readonly #ca: CertificateAuthority;
  readonly #sans: JsonGeneralNames;
  readonly #logger: Logger;
  readonly #listeners = new Set<IdentityListener>();
  #latest: experimental.IdentityCertificateUpdate | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #stopWatchingCa: () => void;

  private constructor(ca: CertificateAuthority, sans: JsonGeneralNames, logger: Logger) {
    this.#ca = ca;
    this.#sans = sans;
    this.#logger = logger;
    this.#stopWatchingCa = ca.onChange(() => void this.#renew());
  }

  /** Issues the first certificate before returning, so that the port serves TLS from its first connection. */
  static async start(ca: CertificateAuthority, listenHost: string, logger: Logger): Promise<ServerIdentity> {
    const identity = new ServerIdentity(ca, serverSans(listenHost), logger);
    await identity.#renew();
    return identity;
  }

  /** TLS server credentials for gRPC; client certificates are not requested (callers authenticate with tokens). */
  credentials(): ServerCredentials {
    // grpc-js's factory takes the identity provider first despite its declared parameter names.
    return experimental.createCertificateProviderServerCredentials(this, null, false);
  }

  /** The PEM chain now served (leaf first). */
  certificateChainPem(): string | undefined {
    return this.#latest?.certificate.toString('utf8');
  }

  close(): void {
    this.#closed = true;
    this.#stopWatchingCa();
    if (this.#timer) clearTimeout(this.#timer);
  }

  async #renew(): Promise<void> {
    if (this.#closed) return;
    if (this.#timer) clearTimeout(this.#timer);
    try {
      const keys = await generateKeyPair('ECDSA_P256');
      const publicKey = await PublicKey.create(keys.publicKey, webCrypto);
      const issued = await this.#ca.issue(publicKey, this.#sans, SERVER_CERT_TTL_SECONDS);
      this.#latest = {
        certificate: Buffer.from(bundlePem(issued.chain.slice(0, -1))),
        privateKey: Buffer.from(await exportPrivateKeyPem(keys.privateKey)),
      };
      for (const listener of this.#listeners) listener(this.#latest);
      this.#schedule(Math.max(60_000, (issued.notAfter.getTime() - Date.now()) / 2));
    } catch (error) {
      this.#logger.error('cannot issue the control plane its TLS certificate; retrying in 1 minute', {
        error: error instanceof Error ? error.message : String(error),
      });
      this.#schedule(60_000);
    }
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => void this.#renew(), Math.min(delayMs, 2 ** 31 - 1));
    this.#timer.unref();
  }

  addIdentityCertificateListener(listener: IdentityListener): void {
    this.#listeners.add(listener);
    // Later, not now: grpc-js registers its own watcher only after this call returns, and would miss it.
    queueMicrotask(() => {
      if (this.#latest && this.#listeners.has(listener)) listener(this.#latest);
    });
  }

  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.#listeners.delete(listener);
  }

  addCaCertificateListener(): void {}

  removeCaCertificateListener(): void {}
}
