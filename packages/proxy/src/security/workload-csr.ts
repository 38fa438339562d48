// A fresh ECDSA P-256 key and a PKCS#10 request for it, naming the workload's SPIFFE identity as a URI SAN
// (the CA decides the identity from the caller's token; the SAN is the agent's claim, as in Istio).
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { ecdsaCertificateRequest } from './pkcs10-request.ts';

export interface WorkloadCsr {
  readonly csrPem: string;
  readonly privateKeyPem: string;
}

const generateEcKeyPair = promisify(generateKeyPair);

export async function createWorkloadCsr(identity: string | undefined): Promise<WorkloadCsr> {
  const { privateKey } = await generateEcKeyPair('ec', { namedCurve: 'P-256' });
  return {
    csrPem: ecdsaCertificateRequest(privateKey, identity),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}
