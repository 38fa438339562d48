// A throwaway PKI for TLS tests, made with openssl in a temp dir: P-256 CAs and leaf certificates with SANs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  readonly cert: string;
  readonly key: string;
}

export interface TestPki {
  readonly dir: string;
  /** Creates a self-signed CA named `name`; returns its certificate (PEM). */
  ca(name: string): string;
  /** Issues a leaf certificate signed by CA `ca` with the given subjectAltName (e.g. `DNS:a.test,URI:spiffe://…`). */
  issue(name: string, ca: string, san: string): KeyPair;
  readonly remove: () => void;
}

export function createTestPki(prefix: string): TestPki {
  const dir = mkdtempSync(join(tmpdir(), `heddle-${prefix}-certs-`));
  const path = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  return {
    dir,
    ca(name) {
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
    },
    issue(name, ca, san) {
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
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
