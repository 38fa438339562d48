// Test PKI for the upstream tests: a mesh CA with a backend server (DNS and SPIFFE SANs), a second server, a
// client certificate, and an unrelated CA with a server of its own.
import { createTestPki, type KeyPair } from '../../../../testkit/src/test-pki.ts';

export type { KeyPair };

export interface UpstreamCertificates {
  readonly ca: string;
  readonly backend: KeyPair;
  readonly other: KeyPair;
  readonly client: KeyPair;
  readonly foreignCa: string;
  readonly foreign: KeyPair;
  remove(): void;
}

export const BACKEND_SPIFFE = 'spiffe://cluster.local/ns/default/sa/backend';
export const CLIENT_SPIFFE = 'spiffe://cluster.local/ns/default/sa/client';

export function makeCertificates(): UpstreamCertificates {
  const pki = createTestPki('upstream');
  const ca = pki.ca('mesh-ca');
  const foreignCa = pki.ca('foreign-ca');
  return {
    ca,
    backend: pki.issue('backend', 'mesh-ca', `DNS:backend.test,URI:${BACKEND_SPIFFE}`),
    other: pki.issue('other', 'mesh-ca', 'DNS:other.test'),
    client: pki.issue('client', 'mesh-ca', `URI:${CLIENT_SPIFFE}`),
    foreignCa,
    foreign: pki.issue('foreign', 'foreign-ca', 'DNS:backend.test'),
    remove: pki.remove,
  };
}
