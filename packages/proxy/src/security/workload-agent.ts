// Builds the certificate agent from the bootstrap's `ca` section: the CA client (token inline or from a
// file read per request, TLS when a root file is given) and the identity the node claims.
import type { JsonObject } from '@bufbuild/protobuf';
import { readFileSync } from 'node:fs';
import type { Logger } from '../admin/logger.ts';
import type { CaBootstrap } from '../xds/bootstrap-ca.ts';
import { CaClient } from './ca-client.ts';
import { CertificateAgent } from './certificate-agent.ts';
import type { RotationPolicy } from './rotation-schedule.ts';

export interface WorkloadAgent {
  readonly agent: CertificateAgent;
  close(): void;
}

export function startWorkloadAgent(
  ca: CaBootstrap,
  metadata: JsonObject,
  logger: Logger,
  policy?: Partial<RotationPolicy>,
): WorkloadAgent {
  const token = (): string | undefined => {
    if (ca.token !== undefined) return ca.token;
    if (ca.tokenFile === undefined) return undefined;
    try {
      return readFileSync(ca.tokenFile, 'utf8').trim();
    } catch (error) {
      logger.warn(`cannot read ca.tokenFile ${ca.tokenFile}: ${(error as Error).message}`);
      return undefined;
    }
  };
  const rootCert = ca.rootCertFile !== undefined ? readFileSync(ca.rootCertFile, 'utf8') : undefined;
  const client = new CaClient({
    address: ca.address,
    token,
    ...(rootCert !== undefined ? { rootCert } : {}),
  });
  const identity = claimedIdentity(metadata);
  const agent = new CertificateAgent({
    sign: client.sign,
    ...(identity ? { identity } : {}),
    validitySeconds: ca.certificateTtlSeconds,
    logger,
    ...(policy ? { policy } : {}),
  });
  agent.start();
  return {
    agent,
    close: () => {
      agent.close();
      client.close();
    },
  };
}

/** `spiffe://<trust domain>/ns/<NAMESPACE>/sa/<SERVICE_ACCOUNT>` when the node names both. */
function claimedIdentity(metadata: JsonObject): string | undefined {
  const namespace = metadata.NAMESPACE;
  const serviceAccount = metadata.SERVICE_ACCOUNT;
  const trustDomain = typeof metadata.TRUST_DOMAIN === 'string' ? metadata.TRUST_DOMAIN : 'cluster.local';
  if (typeof namespace !== 'string' || typeof serviceAccount !== 'string') return undefined;
  return `spiffe://${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}
