// `istio.v1.auth.IstioCertificateService/CreateCertificate`: authenticate the caller, check its CSR, and sign a
// certificate for the caller's identity (never for what the CSR asks).
import { create } from '@bufbuild/protobuf';
import { Metadata, status, type Server, type ServerErrorResponse } from '@grpc/grpc-js';
import { istioCertificateServiceDefinition, type IstioCertificateServiceHandlers } from '@heddle/xds';
import { IstioCertificateResponseSchema } from '@heddle/xds/gen/istio/v1/auth/ca_pb.ts';
import { isControlPlaneError } from '../errors.ts';
import type { Logger } from '../server/logger.ts';
import type { CaMetrics } from './ca-metrics.ts';
import type { CertificateAuthority } from './certificate-authority.ts';
import { TokenRejected } from './join-token.ts';
import { parseCsr } from './parse-csr.ts';
import { certificatePem } from './pem.ts';
import { authenticateCaller, bearerTokenOf, type WorkloadAuthenticator } from './workload-authenticator.ts';
import { spiffeId, type WorkloadIdentity } from './workload-identity.ts';

export interface CertificateServiceOptions {
  readonly ca: CertificateAuthority;
  readonly authenticators: readonly WorkloadAuthenticator[];
  /** meshConfig.trustDomain in force. */
  readonly trustDomain: () => string;
  readonly metrics: CaMetrics;
  readonly logger: Logger;
}

export type SignOutcome =
  | { readonly ok: true; readonly certChain: string[]; readonly identity: string }
  | { readonly ok: false; readonly code: status; readonly message: string };

export function registerCertificateService(server: Server, options: CertificateServiceOptions): void {
  const handlers: IstioCertificateServiceHandlers = {
    createCertificate: (call, callback) => {
      void handleCreateCertificate(
        options,
        call.request.csr,
        call.request.validityDuration,
        call.metadata,
      ).then((outcome) => {
        if (outcome.ok) {
          callback(null, create(IstioCertificateResponseSchema, { certChain: outcome.certChain }));
        } else {
          callback(grpcError(outcome.code, outcome.message));
        }
      });
    },
  };
  server.addService(istioCertificateServiceDefinition, handlers);
}

/** The whole call without the gRPC plumbing; every refusal is counted and logged with its reason. */
export async function handleCreateCertificate(
  options: CertificateServiceOptions,
  csr: string,
  validityDuration: bigint,
  metadata: Metadata,
): Promise<SignOutcome> {
  const { metrics, logger } = options;
  metrics.csrCount.inc();
  let identity: WorkloadIdentity;
  try {
    identity = await authenticateCaller(options.authenticators, {
      ...optionalToken(bearerTokenOf(metadata.get('authorization'))),
    });
  } catch (error) {
    metrics.authenticationFailures.inc();
    const reason = error instanceof TokenRejected ? error.message : 'authentication failed';
    logger.warn('CA refused a caller', { code: 'HEDDLE_CA_UNAUTHENTICATED', reason });
    return { ok: false, code: status.UNAUTHENTICATED, message: `HEDDLE_CA_UNAUTHENTICATED: ${reason}` };
  }
  if (validityDuration < 0n) {
    metrics.csrParsingErrors.inc();
    return refuseCsr(logger, identity, 'validity_duration must not be negative');
  }
  let publicKey;
  try {
    publicKey = await parseCsr(csr);
  } catch (error) {
    metrics.csrParsingErrors.inc();
    return refuseCsr(logger, identity, isControlPlaneError(error) ? error.message : 'the CSR cannot be read');
  }
  const uri = spiffeId(options.trustDomain(), identity);
  try {
    const requested =
      validityDuration > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(validityDuration);
    const issued = await options.ca.issue(publicKey, [{ type: 'url', value: uri }], requested);
    metrics.successCertIssuance.inc();
    logger.debug('CA issued a workload certificate', {
      identity: uri,
      notAfter: issued.notAfter.toISOString(),
    });
    return { ok: true, certChain: issued.chain.map(certificatePem), identity: uri };
  } catch (error) {
    metrics.csrSignErrors.inc();
    logger.error('CA failed to sign a certificate', {
      identity: uri,
      error: error instanceof Error ? error.message : String(error),
    });
    return {
      ok: false,
      code: status.INTERNAL,
      message: 'the CA failed to sign the certificate; see the control-plane log',
    };
  }
}

function optionalToken(token: string | undefined): { bearerToken?: string } {
  return token === undefined ? {} : { bearerToken: token };
}

function refuseCsr(logger: Logger, identity: WorkloadIdentity, reason: string): SignOutcome {
  logger.warn('CA refused a CSR', {
    code: 'HEDDLE_CA_CSR_INVALID',
    namespace: identity.namespace,
    serviceAccount: identity.serviceAccount,
    reason,
  });
  return { ok: false, code: status.INVALID_ARGUMENT, message: `HEDDLE_CA_CSR_INVALID: ${reason}` };
}

function grpcError(code: status, details: string): ServerErrorResponse {
  return Object.assign(new Error(details), { code, details, metadata: new Metadata() });
}
