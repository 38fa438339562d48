// Test certificates for the listener tests: a CA, servers for a.test / b.test / *.wild.test, a SPIFFE client,
// and a client from an unrelated CA.
import { createTestPki, type KeyPair } from '../../../../testkit/src/test-pki.ts';

export type { KeyPair };

export interface TestCertificates {
  readonly ca: string;
  readonly a: KeyPair;
  readonly b: KeyPair;
  readonly wild: KeyPair;
  readonly client: KeyPair;
  readonly otherClient: KeyPair;
  readonly otherCa: string;
  readonly dir: string;
  remove(): void;
}

export const CLIENT_SPIFFE = 'spiffe://cluster.local/ns/default/sa/client';

export function makeCertificates(): TestCertificates {
  const pki = createTestPki('listener');
  const ca = pki.ca('ca');
  const otherCa = pki.ca('other-ca');
  return {
    ca,
    otherCa,
    a: pki.issue('a.test', 'ca', 'DNS:a.test'),
    b: pki.issue('b.test', 'ca', 'DNS:b.test'),
    wild: pki.issue('wild.test', 'ca', 'DNS:*.wild.test'),
    client: pki.issue('client', 'ca', `URI:${CLIENT_SPIFFE},DNS:client.test`),
    otherClient: pki.issue('other-client', 'other-ca', 'URI:spiffe://evil/ns/default/sa/client'),
    dir: pki.dir,
    remove: pki.remove,
  };
}
