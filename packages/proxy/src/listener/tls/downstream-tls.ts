// A filter chain's TLS termination: one (non-listening) tls.Server per compiled DownstreamTlsContext, its secure
// context rebuilt only when config or SDS secrets change, and each accepted socket handed to it for the handshake.
import type { Socket } from 'node:net';
import {
  createSecureContext,
  createServer,
  type SecureContextOptions,
  type Server,
  type TLSSocket,
} from 'node:tls';
import type { SecretProvider } from '../../upstream/secret-provider.ts';
import type { TlsStats } from './tls-stats.ts';
import type { TlsContextSpec } from './tls-context-spec.ts';
import { verifyPeer } from './verify-peer.ts';

export interface SecureConnection {
  readonly socket: TLSSocket;
  readonly serverName: string | undefined;
  readonly negotiatedProtocol: string | undefined;
  readonly peerPrincipal: string | undefined;
}

type OnSecure = (connection: SecureConnection) => void;

/** Envoy sets no handshake deadline by default; a silent client must not hold a socket forever. */
export const DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

const tupleKey = (s: Socket): string => `${s.remoteAddress}|${s.remotePort}|${s.localAddress}|${s.localPort}`;

export class DownstreamTls {
  readonly spec: TlsContextSpec;
  readonly #handshakeTimeoutMs: number;
  readonly #stats: TlsStats;
  /** The TLSSocket is created inside tls.Server; its TCP 4-tuple ties it back to the waiting connection. */
  readonly #pending = new Map<string, { raw: Socket; onSecure: OnSecure }>();
  #server: Server | undefined;
  #error: string | undefined;

  constructor(spec: TlsContextSpec, handshakeTimeoutMs: number, stats: TlsStats) {
    this.spec = spec;
    this.#handshakeTimeoutMs = handshakeTimeoutMs;
    this.#stats = stats;
  }

  get secretNames(): readonly string[] {
    const { certificateSecrets, validationSecret } = this.spec;
    return validationSecret ? [...certificateSecrets, validationSecret] : certificateSecrets;
  }

  get usesSecrets(): boolean {
    return this.secretNames.length > 0;
  }

  /** Why connections are refused right now, if they are (e.g. an SDS secret has not arrived). */
  get contextError(): string | undefined {
    return this.#server ? undefined : this.#error;
  }

  /** Rebuilds the secure context; invalid material leaves the previous one in force, missing material none. */
  refresh(secrets: SecretProvider): string | undefined {
    const options = this.#contextOptions(secrets);
    if (typeof options === 'string') {
      // A secret that went away (an expired, unrenewed workload certificate) must not keep serving: new
      // handshakes are refused; connections already established are left alone.
      this.#server = undefined;
      return (this.#error = options);
    }
    try {
      if (this.#server) this.#server.setSecureContext(options);
      else this.#server = this.#createServer(options);
      this.#error = undefined;
    } catch (error) {
      this.#error = (error as Error).message;
    }
    return this.#error;
  }

  /** Parameter checks that need no certificate, so a bad cipher list fails the update even with SDS. */
  static checkParameters(spec: TlsContextSpec): string | undefined {
    try {
      createSecureContext(parameterOptions(spec));
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** Destroys `raw` when there is no usable context, or when the handshake or verification fails. */
  terminate(raw: Socket, onSecure: OnSecure): void {
    const server = this.#server;
    if (!server) {
      this.#stats.connection_error.inc();
      raw.destroy();
      return;
    }
    const key = tupleKey(raw);
    this.#pending.set(key, { raw, onSecure });
    raw.once('close', () => {
      if (this.#pending.get(key)?.raw !== raw) return;
      this.#pending.delete(key);
      this.#stats.connection_error.inc();
    });
    // Each response leaves as several TLS records: without this the later ones wait for the peer's ACK.
    raw.setNoDelay(true);
    server.emit('connection', raw);
  }

  #createServer(options: SecureContextOptions): Server {
    const { verifiesClients, verification, alpn } = this.spec;
    const server = createServer({
      ...options,
      requestCert: verifiesClients,
      // OpenSSL then refuses a certless client in the handshake; chain errors are judged in verifyPeer.
      rejectUnauthorized:
        verification.requireClientCertificate && !verification.acceptUntrusted && !verification.allowExpired,
      ...(alpn.length > 0 ? { ALPNProtocols: [...alpn] } : {}),
      handshakeTimeout: this.#handshakeTimeoutMs,
    });
    server.on('secureConnection', (socket: TLSSocket) => this.#onSecure(socket));
    server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
      if (error.code === 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE') this.#stats.fail_verify_no_cert.inc();
      socket.destroy();
    });
    return server;
  }

  #onSecure(socket: TLSSocket): void {
    const key = tupleKey(socket);
    const pending = this.#pending.get(key);
    this.#pending.delete(key);
    if (!pending) return void socket.destroy();
    const { spec } = this;
    const cert = spec.verifiesClients ? socket.getPeerX509Certificate() : undefined;
    const error = socket.authorized ? undefined : String(socket.authorizationError ?? 'UNVERIFIED');
    const verdict = verifyPeer(spec.verification, cert, error);
    const serverName =
      typeof socket.servername === 'string' && socket.servername !== '' ? socket.servername : undefined;
    if (!verdict.ok || (spec.requireSni && !serverName)) {
      if (!verdict.ok) this.#stats[verdict.failure].inc();
      this.#stats.connection_error.inc();
      socket.destroy();
      pending.raw.destroy();
      return;
    }
    this.#stats.handshake.inc();
    if (!cert && spec.verifiesClients) this.#stats.no_certificate.inc();
    pending.onSecure({
      socket,
      serverName,
      negotiatedProtocol: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : undefined,
      peerPrincipal: verdict.principal,
    });
  }

  #contextOptions(secrets: SecretProvider): SecureContextOptions | string {
    const { spec } = this;
    const certs = [...spec.certificates];
    for (const name of spec.certificateSecrets) {
      const material = secrets.certificate(name);
      if (!material) return `SDS secret ${name} (certificate) is not available`;
      certs.push({ cert: material.certificateChain, key: material.privateKey });
    }
    let ca = spec.trustedCa;
    if (spec.validationSecret !== undefined) {
      const material = secrets.validation(spec.validationSecret);
      if (!material) return `SDS secret ${spec.validationSecret} (validation context) is not available`;
      ca = material.trustedCa;
    }
    return {
      ...parameterOptions(spec),
      cert: certs.map((c) => c.cert),
      key: certs.map((c) => ({
        pem: c.key,
        ...(c.passphrase !== undefined ? { passphrase: c.passphrase } : {}),
      })),
      ...(ca !== undefined ? { ca: typeof ca === 'string' ? ca : [...ca] } : {}),
      ...(spec.crl !== undefined ? { crl: spec.crl } : {}),
    };
  }
}

function parameterOptions(spec: TlsContextSpec): SecureContextOptions {
  return {
    minVersion: spec.minVersion,
    maxVersion: spec.maxVersion,
    ...(spec.ciphers !== undefined ? { ciphers: spec.ciphers } : {}),
    ...(spec.ecdhCurve !== undefined ? { ecdhCurve: spec.ecdhCurve } : {}),
    ...(spec.sigalgs !== undefined ? { sigalgs: spec.sigalgs } : {}),
    ...(spec.secureOptions !== 0 ? { secureOptions: spec.secureOptions } : {}),
    ...(spec.sessionTimeoutSeconds !== undefined ? { sessionTimeout: spec.sessionTimeoutSeconds } : {}),
  };
}
