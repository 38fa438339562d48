// The bootstrap's `ca` section: where the mesh CA is and how the agent proves who it is. Without it the
// proxy has no workload certificate (mTLS contexts naming `default` then refuse connections).
import { object, text, unknownKeys } from './bootstrap-fields.ts';

export interface CaBootstrap {
  /** `host:port` of the CA; the first control-plane address when not given. */
  readonly address: string;
  /** A join token given inline. */
  readonly token?: string;
  /** A file holding the token, read before every request (rotated tokens are picked up). */
  readonly tokenFile?: string;
  /** PEM roots of the CA's serving certificate: the agent then talks TLS to the CA. */
  readonly rootCertFile?: string;
  /** Requested certificate lifetime in seconds (Istio's default is 24 h). */
  readonly certificateTtlSeconds: number;
}

export const DEFAULT_CERTIFICATE_TTL_SECONDS = 24 * 3600;

const CA_KEYS = ['address', 'token', 'tokenFile', 'rootCertFile', 'certificateTtl'];

export function parseCaSection(
  input: unknown,
  controlPlaneAddresses: readonly string[],
  isHostPort: (value: string) => boolean,
  parseDuration: (input: unknown, path: string, problems: string[]) => number,
  problems: string[],
): CaBootstrap | undefined {
  if (input === undefined) return undefined;
  const ca = object(input, 'ca', problems);
  if (!ca) return undefined;
  unknownKeys(ca, CA_KEYS, 'ca', problems);
  let address = controlPlaneAddresses[0] ?? '';
  if (ca.address !== undefined) {
    address = text(ca.address, 'ca.address', problems);
    if (!isHostPort(address))
      problems.push(
        `ca.address: must be "host:port" (IPv6 as "[addr]:port"), not ${JSON.stringify(ca.address)}`,
      );
  }
  const optional = (key: 'token' | 'tokenFile' | 'rootCertFile'): string | undefined => {
    if (ca[key] === undefined) return undefined;
    const value = text(ca[key], `ca.${key}`, problems);
    if (value === '') problems.push(`ca.${key}: must not be empty`);
    return value;
  };
  const token = optional('token');
  const tokenFile = optional('tokenFile');
  const rootCertFile = optional('rootCertFile');
  if (token !== undefined && tokenFile !== undefined) problems.push('ca: give token or tokenFile, not both');
  const ttlMs =
    ca.certificateTtl === undefined
      ? DEFAULT_CERTIFICATE_TTL_SECONDS * 1000
      : parseDuration(ca.certificateTtl, 'ca.certificateTtl', problems);
  if (ca.certificateTtl !== undefined && ttlMs < 1000)
    problems.push('ca.certificateTtl: must be at least 1s');
  return {
    address,
    ...(token !== undefined ? { token } : {}),
    ...(tokenFile !== undefined ? { tokenFile } : {}),
    ...(rootCertFile !== undefined ? { rootCertFile } : {}),
    certificateTtlSeconds: Math.max(1, Math.round(ttlMs / 1000)),
  };
}
