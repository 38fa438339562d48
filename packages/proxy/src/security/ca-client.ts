// The mesh CA's CreateCertificate over gRPC (istio.v1.auth.IstioCertificateService), authenticated with a
// bearer token read fresh for every call (projected tokens are rotated on disk), plaintext or TLS.
import { create } from '@bufbuild/protobuf';
import { credentials, makeGenericClientConstructor, Metadata, type ChannelCredentials } from '@grpc/grpc-js';
import { istioCertificateServiceDefinition, type IstioCertificateServiceClient } from '@heddle/xds';
import { IstioCertificateRequestSchema } from '@heddle/xds/gen/istio/v1/auth/ca_pb.ts';

export interface CaClientOptions {
  /** `host:port` of the CA. */
  readonly address: string;
  /** The token to present, read before every call; undefined sends no authorization header. */
  readonly token: () => string | undefined;
  /** PEM roots to verify the CA's serving certificate; undefined talks plaintext. */
  readonly rootCert?: string;
  readonly timeoutMs?: number;
}

/** Signs a CSR; resolves with the CA's chain [leaf, intermediates…, root]. */
export type SignCsr = (csrPem: string, validitySeconds: number) => Promise<string[]>;

const Client = makeGenericClientConstructor(
  istioCertificateServiceDefinition,
  'IstioCertificateService',
) as unknown as new (address: string, creds: ChannelCredentials) => IstioCertificateServiceClient;

export class CaClient {
  readonly #client: IstioCertificateServiceClient;
  readonly #options: CaClientOptions;

  constructor(options: CaClientOptions) {
    this.#options = options;
    const creds =
      options.rootCert !== undefined
        ? credentials.createSsl(Buffer.from(options.rootCert))
        : credentials.createInsecure();
    this.#client = new Client(options.address, creds);
  }

  readonly sign: SignCsr = (csrPem, validitySeconds) =>
    new Promise((resolve, reject) => {
      const metadata = new Metadata();
      const token = this.#options.token();
      if (token !== undefined && token !== '') metadata.set('authorization', `Bearer ${token}`);
      const request = create(IstioCertificateRequestSchema, {
        csr: csrPem,
        validityDuration: BigInt(Math.max(1, Math.round(validitySeconds))),
      });
      this.#client.createCertificate(
        request,
        metadata,
        { deadline: Date.now() + (this.#options.timeoutMs ?? 10_000) },
        (error, response) => {
          if (error) reject(new Error(`CA ${this.#options.address}: ${error.details || error.message}`));
          else if (!response || response.certChain.length === 0)
            reject(new Error(`CA ${this.#options.address}: empty certificate chain`));
          else resolve([...response.certChain]);
        },
      );
    });

  close(): void {
    this.#client.close();
  }
}
