// A root and an intermediate CA made with openssl, laid out as a `cacerts` directory (Istio's plug-in layout).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { openssl, type TempDir } from './ca-test-kit.ts';

export interface OpensslCa {
  readonly rootCert: string;
  readonly intermediateCert: string;
  readonly intermediateKey: string;
  readonly rootKeyPath: string;
}

const CA_EXTENSIONS =
  'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n';

/** Root (self-signed) → intermediate; both P-256 unless `rsa`. */
export function opensslCa(dir: TempDir, name: string, rsa = false): OpensslCa {
  const key = rsa ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  const path = (file: string) => dir.file(`${name}-${file}`);
  openssl([
    'req',
    '-x509',
    ...key,
    '-nodes',
    '-keyout',
    path('root.key'),
    '-out',
    path('root.pem'),
    '-subj',
    `/O=Test/CN=${name} root`,
    '-days',
    '30',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  openssl([
    'req',
    '-new',
    ...key,
    '-nodes',
    '-keyout',
    path('int.key'),
    '-out',
    path('int.csr'),
    '-subj',
    `/O=Test/CN=${name} intermediate`,
  ]);
  writeFileSync(path('ca.ext'), CA_EXTENSIONS);
  openssl([
    'x509',
    '-req',
    '-in',
    path('int.csr'),
    '-CA',
    path('root.pem'),
    '-CAkey',
    path('root.key'),
    '-CAcreateserial',
    '-days',
    '10',
    '-extfile',
    path('ca.ext'),
    '-out',
    path('int.pem'),
  ]);
  return {
    rootCert: readFileSync(path('root.pem'), 'utf8'),
    intermediateCert: readFileSync(path('int.pem'), 'utf8'),
    intermediateKey: readFileSync(path('int.key'), 'utf8'),
    rootKeyPath: path('root.key'),
  };
}

/** Writes ca-cert.pem, ca-key.pem, root-cert.pem and cert-chain.pem (intermediate + root) into `dir/<name>`. */
export function writeCacerts(
  dir: TempDir,
  name: string,
  files: { cert: string; key: string; roots: string; chain?: string },
): string {
  const target = dir.file(name);
  mkdirSync(target, { recursive: true });
  writeFileSync(`${target}/ca-cert.pem`, files.cert);
  writeFileSync(`${target}/ca-key.pem`, files.key);
  writeFileSync(`${target}/root-cert.pem`, files.roots);
  if (files.chain !== undefined) writeFileSync(`${target}/cert-chain.pem`, files.chain);
  return target;
}
