// The CA's series under Istio's citadel_server_* names, so existing dashboards and alerts on istiod's CA work.
import type { Counter } from '../metrics/counter.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';
import type { CertificateAuthority } from './certificate-authority.ts';

export interface CaMetrics {
  readonly csrCount: Counter;
  readonly successCertIssuance: Counter;
  readonly csrParsingErrors: Counter;
  readonly authenticationFailures: Counter;
  readonly csrSignErrors: Counter;
}

export function createCaMetrics(registry: MetricsRegistry, ca: CertificateAuthority): CaMetrics {
  const metrics: CaMetrics = {
    csrCount: registry.counter(
      'citadel_server_csr_count',
      'Certificate signing requests received by the CA.',
    ),
    successCertIssuance: registry.counter(
      'citadel_server_success_cert_issuance_count',
      'Certificates the CA issued.',
    ),
    csrParsingErrors: registry.counter(
      'citadel_server_csr_parsing_err_count',
      'Signing requests refused because the CSR was malformed or badly signed.',
    ),
    authenticationFailures: registry.counter(
      'citadel_server_authentication_failure_count',
      'Signing requests refused because the caller could not be authenticated.',
    ),
    csrSignErrors: registry.counter(
      'citadel_server_csr_sign_err_count',
      'Signing requests that failed while the certificate was being signed.',
    ),
  };
  // Read at scrape time, so that a root rotation shows without bookkeeping.
  registry.collected(
    'citadel_server_root_cert_expiry_timestamp',
    'Unix time (seconds) at which the root that signs now expires.',
    'gauge',
    () => Math.floor(ca.signingAuthority().root.notAfter.getTime() / 1000),
  );
  registry.collected(
    'citadel_server_cert_chain_expiry_timestamp',
    'Unix time (seconds) at which the first certificate of the signing chain expires.',
    'gauge',
    () => Math.floor(ca.signingChainExpiry().getTime() / 1000),
  );
  return metrics;
}
