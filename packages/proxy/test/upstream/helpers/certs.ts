// Test PKI made with openssl in a temp dir: a mesh CA with a backend server (DNS and SPIFFE SANs), a second
// server, a client certificate, and an unrelated CA with a server of its own.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  readonly cert: string;
  readonly key: string;
}

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
  const dir = mkdtempSync(join(tmpdir(), 'heddle-upstream-certs-'));
  const path = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const makeCa = (name: string): string => {
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
    return readFileSync(path(`${name}.crt`), 'utf8');
  };
  const issueWithSan = (name: string, ca: string, san: string): KeyPair => {
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
    writeFileSync(path(`${name}.ext`), `subjectAltName=${san}\n`);
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
  const ca = makeCa('mesh-ca');
  const foreignCa = makeCa('foreign-ca');
  return {
    ca,
    backend: issueWithSan('backend', 'mesh-ca', `DNS:backend.test,URI:${BACKEND_SPIFFE}`),
    other: issueWithSan('other', 'mesh-ca', 'DNS:other.test'),
    client: issueWithSan('client', 'mesh-ca', `URI:${CLIENT_SPIFFE}`),
    foreignCa,
    foreign: issueWithSan('foreign', 'foreign-ca', 'DNS:backend.test'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
