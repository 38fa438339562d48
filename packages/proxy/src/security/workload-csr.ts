// A fresh ECDSA P-256 key and a PKCS#10 request for it, naming the workload's SPIFFE identity as a URI SAN
// (the CA decides the identity from the caller's token; the SAN is the agent's claim, as in Istio).
import { Pkcs10CertificateRequestGenerator, PemConverter, SubjectAlternativeNameExtension } from './x509.ts';
import { webcrypto } from 'node:crypto';

export interface WorkloadCsr {
  readonly csrPem: string;
  readonly privateKeyPem: string;
}

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

export async function createWorkloadCsr(identity: string | undefined): Promise<WorkloadCsr> {
  const keys = await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const csr = await Pkcs10CertificateRequestGenerator.create(
    {
      keys,
      signingAlgorithm: SIGNING,
      ...(identity
        ? { extensions: [new SubjectAlternativeNameExtension([{ type: 'url', value: identity }])] }
        : {}),
    },
    webcrypto,
  );
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { csrPem: csr.toString('pem'), privateKeyPem: PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}
