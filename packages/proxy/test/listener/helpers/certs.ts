// Test certificates made with openssl in a temp dir: a CA, servers for a.test / b.test / *.wild.test, a SPIFFE
// client, and a client from an unrelated CA.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  readonly cert: string;
  readonly key: string;
}

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
  const dir = mkdtempSync(join(tmpdir(), 'heddle-listener-certs-'));
  const path = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const makeCa = (name: string): void =>
    openssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      path(`${name}.key`),
      '-out',
      path(`${name}.crt`),
      '-subj',
      `/CN=${name}`,
      '-days',
      '2',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  const issue = (name: string, ca: string, san: string): KeyPair => {
    openssl(
      'req',
      ...ec,
      '-keyout',
      path(`${name}.key`),
      '-out',
      path(`${name}.csr`),
      '-subj',
      `/CN=${name}`,
    );
    writeFileSync(path(`${name}.ext`), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\n`);
    openssl(
      'x509',
      '-req',
      '-in',
      path(`${name}.csr`),
      '-CA',
      path(`${ca}.crt`),
      '-CAkey',
      path(`${ca}.key`),
      '-CAcreateserial',
      '-out',
      path(`${name}.crt`),
      '-days',
      '2',
      '-extfile',
      path(`${name}.ext`),
    );
    return {
      cert: readFileSync(path(`${name}.crt`), 'utf8'),
      key: readFileSync(path(`${name}.key`), 'utf8'),
    };
  };
  makeCa('ca');
  makeCa('other-ca');
  return {
    ca: readFileSync(path('ca.crt'), 'utf8'),
    otherCa: readFileSync(path('other-ca.crt'), 'utf8'),
    a: issue('a.test', 'ca', 'DNS:a.test'),
    b: issue('b.test', 'ca', 'DNS:b.test'),
    wild: issue('wild.test', 'ca', 'DNS:*.wild.test'),
    client: issue('client', 'ca', `URI:${CLIENT_SPIFFE},DNS:client.test`),
    otherClient: issue('other-client', 'other-ca', 'URI:spiffe://evil/ns/default/sa/client'),
    dir,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
