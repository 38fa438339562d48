// Loads a plugged-in CA from a `cacerts` directory (Istio's layout) and checks it before anything is signed.
import { X509Certificate as NodeX509 } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONTROL_PLANE_CODES, ControlPlaneError, type ControlPlaneCode } from '../errors.ts';
import { importPrivateKeyPem } from './key-type.ts';
import { parseCertificates, sameCertificate } from './pem.ts';
import type { SigningAuthority } from './signing-authority.ts';
import type { X509Certificate } from './x509.ts';

export const CACERTS_FILES = {
  cert: 'ca-cert.pem',
  key: 'ca-key.pem',
  roots: 'root-cert.pem',
  chain: 'cert-chain.pem',
} as const;

export interface PluggedCa {
  readonly authority: SigningAuthority;
  /** Every root of root-cert.pem: the trust bundle (it may hold an old and a new root during a rotation). */
  readonly roots: readonly X509Certificate[];
}

/**
 * `ca-cert.pem` signs; `cert-chain.pem` leads from it towards a root (the root itself may be included or left
 * out, as Istio allows; a missing file means ca-cert is signed by a root directly); `root-cert.pem` holds roots.
 */
export async function loadCacerts(dir: string, now: Date): Promise<PluggedCa> {
  const certText = await readText(dir, CACERTS_FILES.cert);
  const keyText = await readText(dir, CACERTS_FILES.key);
  const rootText = await readText(dir, CACERTS_FILES.roots);
  const chainText = await readText(dir, CACERTS_FILES.chain, true);

  const cert = onlyCertificate(certText, CACERTS_FILES.cert);
  const roots = certificates(rootText, CACERTS_FILES.roots);
  const listedChain = chainText === undefined ? [] : certificates(chainText, CACERTS_FILES.chain);

  let key: Awaited<ReturnType<typeof importPrivateKeyPem>>;
  try {
    key = await importPrivateKeyPem(keyText);
  } catch (error) {
    throw caError(
      CONTROL_PLANE_CODES.CA_CACERTS_UNREADABLE,
      `${join(dir, CACERTS_FILES.key)} is not a usable private key (${messageOf(error)}); use an ECDSA P-256/P-384 or RSA key in PEM`,
    );
  }
  if (!Buffer.from(cert.publicKey.rawData).equals(key.publicKeySpki)) {
    throw caError(
      CONTROL_PLANE_CODES.CA_KEY_MISMATCH,
      `${join(dir, CACERTS_FILES.key)} is not the private key of ${join(dir, CACERTS_FILES.cert)}`,
    );
  }

  // The chain after ca-cert, without the roots it may end with.
  const chain = [cert];
  for (const [i, item] of listedChain.entries()) {
    if (i === 0 && sameCertificate(item, cert)) continue;
    if (roots.some((root) => sameCertificate(root, item))) break;
    chain.push(item);
  }
  const signerIsRoot = roots.some((root) => sameCertificate(root, cert));
  const intermediates = signerIsRoot ? [] : chain;

  for (const [i, item] of [...intermediates, ...roots].entries()) {
    const label = i < intermediates.length ? describeChainItem(i) : CACERTS_FILES.roots;
    checkCaCertificate(item, label, now);
  }
  if (signerIsRoot) checkCaCertificate(cert, CACERTS_FILES.cert, now);

  for (let i = 0; i + 1 < intermediates.length; i++) {
    const child = intermediates[i] as X509Certificate;
    const parent = intermediates[i + 1] as X509Certificate;
    if (!issuedBy(child, parent)) {
      throw caError(
        CONTROL_PLANE_CODES.CA_CHAIN_INVALID,
        `${describeChainItem(i)} (${child.subject}) is not signed by the next certificate of ${CACERTS_FILES.chain} (${parent.subject})`,
      );
    }
  }
  const top = intermediates.at(-1) ?? cert;
  const root = roots.find((candidate) => issuedBy(top, candidate));
  if (!root) {
    throw caError(
      CONTROL_PLANE_CODES.CA_CHAIN_INVALID,
      `no root of ${CACERTS_FILES.roots} signed "${top.subject}"; ${CACERTS_FILES.chain} must lead from ${CACERTS_FILES.cert} to one of them`,
    );
  }
  return { authority: { cert, key: key.privateKey, chain: intermediates, root }, roots };
}

function describeChainItem(index: number): string {
  return index === 0 ? CACERTS_FILES.cert : `certificate ${index + 1} of ${CACERTS_FILES.chain}`;
}

function checkCaCertificate(cert: X509Certificate, label: string, now: Date): void {
  const node = new NodeX509(Buffer.from(cert.rawData));
  if (!node.ca) {
    throw caError(
      CONTROL_PLANE_CODES.CA_NOT_A_CA,
      `${label} (${cert.subject}) is not a CA certificate (basicConstraints CA:TRUE is missing)`,
    );
  }
  if (now < cert.notBefore || now > cert.notAfter) {
    const when =
      now > cert.notAfter
        ? `expired on ${cert.notAfter.toISOString()}`
        : `is valid only from ${cert.notBefore.toISOString()}`;
    throw caError(CONTROL_PLANE_CODES.CA_CERT_EXPIRED, `${label} (${cert.subject}) ${when}`);
  }
}

/** Names chain and the parent's key verifies the child's signature. */
function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  const nodeChild = new NodeX509(Buffer.from(child.rawData));
  const nodeParent = new NodeX509(Buffer.from(parent.rawData));
  return nodeChild.checkIssued(nodeParent) && nodeChild.verify(nodeParent.publicKey);
}

async function readText(dir: string, file: string, optional?: false): Promise<string>;
async function readText(dir: string, file: string, optional: true): Promise<string | undefined>;
async function readText(dir: string, file: string, optional = false): Promise<string | undefined> {
  const path = join(dir, file);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw caError(CONTROL_PLANE_CODES.CA_CACERTS_UNREADABLE, `cannot read ${path}: ${messageOf(error)}`);
  }
}

function certificates(text: string, file: string): X509Certificate[] {
  let certs: X509Certificate[];
  try {
    certs = parseCertificates(text);
  } catch (error) {
    throw caError(
      CONTROL_PLANE_CODES.CA_CACERTS_UNREADABLE,
      `${file} holds a certificate that does not parse (${messageOf(error)})`,
    );
  }
  if (certs.length === 0) {
    throw caError(CONTROL_PLANE_CODES.CA_CACERTS_UNREADABLE, `${file} holds no PEM CERTIFICATE block`);
  }
  return certs;
}

function onlyCertificate(text: string, file: string): X509Certificate {
  const certs = certificates(text, file);
  if (certs.length !== 1) {
    throw caError(
      CONTROL_PLANE_CODES.CA_CACERTS_UNREADABLE,
      `${file} must hold exactly one certificate (it holds ${certs.length}); put intermediates in ${CACERTS_FILES.chain}`,
    );
  }
  return certs[0] as X509Certificate;
}

function caError(code: ControlPlaneCode, message: string): ControlPlaneError {
  return new ControlPlaneError(code, message);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
