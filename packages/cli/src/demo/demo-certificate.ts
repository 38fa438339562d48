// The demo's TLS material for https://shop.example.com: a throwaway CA of its own and a server certificate it
// signs (P-256, valid 30 days), written to `<data-dir>/demo/`. Clients trust the CA file, never the system
// store, so nothing outside the demo ever trusts it.
import './reflect-metadata.ts';
import { webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  PemConverter,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
} from '@peculiar/x509';

export const SHOP_HOST = 'shop.example.com';
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const VALID_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

export interface DemoCertificateFiles {
  readonly caCertificate: string;
  readonly shopCertificate: string;
  readonly shopKey: string;
}

export interface DemoCertificates {
  readonly caPem: string;
  readonly certificatePem: string;
  readonly keyPem: string;
}

function serial(): string {
  // Positive, 16 bytes: the first bit clear.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

export async function createDemoCertificates(now: Date = new Date()): Promise<DemoCertificates> {
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime() + VALID_DAYS * DAY_MS);
  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const ca = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: 'CN=Heddle demo CA, O=Heddle demo',
      notBefore,
      notAfter,
      keys: caKeys,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new BasicConstraintsExtension(true, 0, true),
        new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
        await SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const certificate = await X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject: `CN=${SHOP_HOST}, O=Heddle demo`,
      issuer: ca.subject,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new BasicConstraintsExtension(false, undefined, true),
        new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
        new ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth]),
        new SubjectAlternativeNameExtension([{ type: 'dns', value: SHOP_HOST }], false),
        await SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
        await AuthorityKeyIdentifierExtension.create(caKeys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    caPem: ca.toString('pem'),
    certificatePem: certificate.toString('pem'),
    keyPem: PemConverter.encode(pkcs8, 'PRIVATE KEY'),
  };
}

export async function writeDemoCertificates(
  files: DemoCertificateFiles,
  material: DemoCertificates,
): Promise<void> {
  await mkdir(dirname(files.caCertificate), { recursive: true });
  await writeFile(files.caCertificate, `${material.caPem.trim()}\n`);
  await writeFile(files.shopCertificate, `${material.certificatePem.trim()}\n`);
  await writeFile(files.shopKey, `${material.keyPem.trim()}\n`, { mode: 0o600 });
}
