// Starts the CA with everything around it: the authority, the token key and issuer, the authenticators, the
// citadel metrics, and the CreateCertificate service for the control plane's gRPC server.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Server } from '@grpc/grpc-js';
import type { MetricsRegistry } from '../metrics/registry.ts';
import type { Logger } from '../server/logger.ts';
import { createCaMetrics, type CaMetrics } from './ca-metrics.ts';
import { registerCertificateService } from './certificate-service.ts';
import { CertificateAuthority } from './certificate-authority.ts';
import { JoinTokenIssuer } from './join-token-issuer.ts';
import type { CaKeyType } from './key-type.ts';
import { openTokenKey, TOKEN_KEY_FILE } from './token-key.ts';
import { JoinTokenAuthenticator, type WorkloadAuthenticator } from './workload-authenticator.ts';

/** The `ca` option of startControlPlane. */
export interface CaOptions {
  /** Plug in an existing CA (Istio's `cacerts` layout) instead of the self-signed root in `<dataDir>/ca/`. */
  readonly cacertsDir?: string;
  /** Key type of self-signed roots made on first start or by a rotation; `ECDSA_P256` by default. */
  readonly keyType?: CaKeyType;
  /** Lifetime of workload certificates when the CSR asks none; 24 h by default. */
  readonly workloadCertTtlSeconds?: number;
  /** Longer requests are capped to this; 90 days by default. */
  readonly maxWorkloadCertTtlSeconds?: number;
  /** Lifetime of join tokens issued without an explicit one; 7 days by default. */
  readonly joinTokenTtlSeconds?: number;
  readonly maxJoinTokenTtlSeconds?: number;
  /** Tried after join tokens, e.g. a Kubernetes ServiceAccount token authenticator. */
  readonly authenticators?: readonly WorkloadAuthenticator[];
  /** The CA's clock; tests move it. */
  readonly now?: () => Date;
}

export interface MeshCa {
  readonly authority: CertificateAuthority;
  readonly tokens: JoinTokenIssuer;
  readonly metrics: CaMetrics;
  /** Who a caller is, from its credentials: the CSR service and ADS stream authentication share them. */
  readonly authenticators: readonly WorkloadAuthenticator[];
  /** Adds IstioCertificateService to a gRPC server (the plaintext and the TLS port share one server). */
  register(server: Server): void;
}

export interface MeshCaContext {
  readonly dataDir: string;
  readonly metrics: MetricsRegistry;
  readonly logger: Logger;
  readonly trustDomain: () => string;
}

export const CA_DIRECTORY = 'ca';

export async function startMeshCa(options: CaOptions, context: MeshCaContext): Promise<MeshCa> {
  const now = options.now ?? (() => new Date());
  const dir = join(context.dataDir, CA_DIRECTORY);
  const authority = await CertificateAuthority.open({
    dir,
    now,
    ...(options.cacertsDir !== undefined ? { cacertsDir: options.cacertsDir } : {}),
    ...(options.keyType ? { keyType: options.keyType } : {}),
    ...(options.workloadCertTtlSeconds !== undefined
      ? { workloadCertTtlSeconds: options.workloadCertTtlSeconds }
      : {}),
    ...(options.maxWorkloadCertTtlSeconds !== undefined
      ? { maxWorkloadCertTtlSeconds: options.maxWorkloadCertTtlSeconds }
      : {}),
  });
  const key = await openTokenKey(await tokenKeyDir(options.cacertsDir, dir));
  const tokens = new JoinTokenIssuer({
    key,
    now,
    trustDomain: context.trustDomain,
    ...(options.joinTokenTtlSeconds !== undefined ? { defaultTtlSeconds: options.joinTokenTtlSeconds } : {}),
    ...(options.maxJoinTokenTtlSeconds !== undefined
      ? { maxTtlSeconds: options.maxJoinTokenTtlSeconds }
      : {}),
  });
  const authenticators = [new JoinTokenAuthenticator(key, now), ...(options.authenticators ?? [])];
  const metrics = createCaMetrics(context.metrics, authority);
  context.logger.info('certificate authority ready', {
    mode: authority.mode,
    roots: authority.trustBundle().length,
    rootExpiry: authority.signingAuthority().root.notAfter.toISOString(),
  });
  return {
    authority,
    tokens,
    metrics,
    authenticators,
    register: (server) =>
      registerCertificateService(server, {
        ca: authority,
        authenticators,
        trustDomain: context.trustDomain,
        metrics,
        logger: context.logger,
      }),
  };
}

/** Replicas sharing a plugged-in CA share its token key too, when `cacerts` holds one. */
async function tokenKeyDir(cacertsDir: string | undefined, caDir: string): Promise<string> {
  if (cacertsDir === undefined) return caDir;
  try {
    await access(join(cacertsDir, TOKEN_KEY_FILE));
    return cacertsDir;
  } catch {
    return caDir;
  }
}
