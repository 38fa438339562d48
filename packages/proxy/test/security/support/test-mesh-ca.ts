// An in-test mesh CA speaking istio.v1.auth.IstioCertificateService on loopback: it maps bearer tokens to
// SPIFFE identities, signs CSRs with @peculiar/x509 for a lifetime the test chooses, can switch roots, and
// can be taken down and brought back on the same port.
import {
  type Metadata,
  Server,
  ServerCredentials,
  status,
  type ServerUnaryCall,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import { istioCertificateServiceDefinition } from '@heddle/xds';
import {
  IstioCertificateResponseSchema,
  type IstioCertificateRequest,
  type IstioCertificateResponse,
} from '@heddle/xds/gen/istio/v1/auth/ca_pb.ts';
import {
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  Pkcs10CertificateRequest,
  PemConverter,
  type PublicKey,
  SubjectAlternativeNameExtension,
  X509CertificateGenerator,
} from '../../../src/security/x509.ts';
import { webcrypto } from 'node:crypto';

const crypto = webcrypto;
const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface TestRoot {
  readonly pem: string;
  readonly keys: webcrypto.CryptoKeyPair;
  readonly name: string;
}

export interface IssuedPair {
  readonly cert: string;
  readonly key: string;
}

export async function createRoot(name: string): Promise<TestRoot> {
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const cert = await X509CertificateGenerator.createSelfSigned(
    {
      name: `CN=${name}, O=heddle-test`,
      keys: keys as never,
      signingAlgorithm: SIGNING,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 3600_000),
      extensions: [
        new BasicConstraintsExtension(true, undefined, true),
        new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
      ],
    },
    crypto,
  );
  return { pem: cert.toString('pem'), keys, name };
}

/** Signs `publicKey` as a workload certificate for `spiffeId`, valid for `ttlMs` from now. */
async function signLeaf(
  root: TestRoot,
  publicKey: webcrypto.CryptoKey | PublicKey,
  spiffeId: string,
  ttlMs: number,
): Promise<string> {
  const now = Date.now();
  const cert = await X509CertificateGenerator.create(
    {
      subject: 'O=heddle-test',
      issuer: `CN=${root.name}, O=heddle-test`,
      publicKey: publicKey as never,
      signingKey: root.keys.privateKey as never,
      signingAlgorithm: SIGNING,
      // Whole seconds, as X.509 times have no fractions.
      notBefore: new Date(Math.floor(now / 1000) * 1000 - 1000),
      notAfter: new Date(Math.floor((now + ttlMs) / 1000) * 1000),
      extensions: [
        new BasicConstraintsExtension(false, undefined, true),
        new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment, true),
        new ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']),
        new SubjectAlternativeNameExtension([{ type: 'url', value: spiffeId }], true),
      ],
    },
    crypto,
  );
  return cert.toString('pem');
}

export class TestMeshCa {
  /** Bearer token → SPIFFE identity. */
  readonly identities: Map<string, string>;
  root: TestRoot;
  ttlMs: number;
  /** Calls answered with a certificate, and calls refused. */
  issued = 0;
  refused = 0;
  #server: Server | undefined;
  #port = 0;

  private constructor(root: TestRoot, identities: Map<string, string>, ttlMs: number) {
    this.root = root;
    this.identities = identities;
    this.ttlMs = ttlMs;
  }

  static async start(identities: Record<string, string>, ttlMs: number): Promise<TestMeshCa> {
    const ca = new TestMeshCa(
      await createRoot('heddle-test-root-1'),
      new Map(Object.entries(identities)),
      ttlMs,
    );
    await ca.up();
    return ca;
  }

  get address(): string {
    return `127.0.0.1:${this.#port}`;
  }

  /** A certificate straight from the CA, for test clients such as openssl. */
  async issue(spiffeId: string, ttlMs = this.ttlMs): Promise<IssuedPair> {
    const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
    const cert = await signLeaf(this.root, keys.publicKey, spiffeId, ttlMs);
    const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
    return { cert, key: PemConverter.encode(pkcs8, 'PRIVATE KEY') };
  }

  async up(): Promise<void> {
    const server = new Server();
    server.addService(istioCertificateServiceDefinition, {
      createCertificate: (
        call: ServerUnaryCall<IstioCertificateRequest, IstioCertificateResponse>,
        callback: sendUnaryData<IstioCertificateResponse>,
      ) => void this.#createCertificate(call.request, call.metadata, callback),
    });
    this.#port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${this.#port}`, ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    this.#server = server;
  }

  /** Stops answering; `up()` listens again on the same port. */
  down(): void {
    this.#server?.forceShutdown();
    this.#server = undefined;
  }

  async #createCertificate(
    request: IstioCertificateRequest,
    metadata: Metadata,
    callback: sendUnaryData<IstioCertificateResponse>,
  ): Promise<void> {
    const header = metadata.get('authorization')[0];
    const token = typeof header === 'string' ? /^Bearer (.+)$/.exec(header)?.[1] : undefined;
    const identity = token !== undefined ? this.identities.get(token) : undefined;
    if (!identity) {
      this.refused++;
      callback({ code: status.UNAUTHENTICATED, details: 'unknown token' });
      return;
    }
    try {
      const csr = new Pkcs10CertificateRequest(request.csr);
      const root = this.root;
      const requested = Number(request.validityDuration) * 1000;
      const leaf = await signLeaf(root, csr.publicKey, identity, Math.min(requested, this.ttlMs));
      this.issued++;
      callback(null, create(IstioCertificateResponseSchema, { certChain: [leaf, root.pem] }));
    } catch (error) {
      this.refused++;
      callback({ code: status.INVALID_ARGUMENT, details: `bad CSR: ${(error as Error).message}` });
    }
  }
}
