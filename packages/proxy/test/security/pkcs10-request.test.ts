// The hand-encoded certificate request, read back by two independent parsers: openssl (which also checks the
// self-signature) and @peculiar/x509, the library the control plane's CA parses requests with.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { ecdsaCertificateRequest } from '../../src/security/pkcs10-request.ts';
import { Pkcs10CertificateRequest, SubjectAlternativeNameExtension } from '../../src/security/x509.ts';

const ID = 'spiffe://cluster.local/ns/shop/sa/reviews';

function openssl(pem: string): string {
  return execFileSync('openssl', ['req', '-verify', '-noout', '-text'], {
    input: pem,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 10_000,
  });
}

describe('PKCS#10 certificate request', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('carries the key, a URI SAN and a valid ECDSA-SHA256 signature (openssl)', () => {
    const pem = ecdsaCertificateRequest(privateKey, ID);
    assert.match(
      pem,
      /^-----BEGIN CERTIFICATE REQUEST-----\n([A-Za-z0-9+/=]{64}\n)+[A-Za-z0-9+/=]{1,64}\n-----END/,
    );
    const text = openssl(pem);
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text, /NIST CURVE: P-256/);
    assert.match(
      text,
      /X509v3 Subject Alternative Name: *\n *URI:spiffe:\/\/cluster\.local\/ns\/shop\/sa\/reviews\n/,
    );
    assert.match(text, /Subject: *\n/);
  });

  it('is read the same way by the CA side parser, with the right public key', async () => {
    const request = new Pkcs10CertificateRequest(ecdsaCertificateRequest(privateKey, ID));
    assert.ok(await request.verify());
    const san = request.extensions.find((extension) => extension.type === '2.5.29.17');
    assert.ok(san instanceof SubjectAlternativeNameExtension);
    assert.deepEqual(san.names.toJSON(), [{ type: 'url', value: ID }]);
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    assert.deepEqual(Buffer.from(request.publicKey.rawData), spki);
  });

  it('has no attributes without an identity, and still verifies', async () => {
    const pem = ecdsaCertificateRequest(privateKey, undefined);
    const text = openssl(pem);
    assert.doesNotMatch(text, /Subject Alternative Name/);
    const request = new Pkcs10CertificateRequest(pem);
    assert.ok(await request.verify());
    assert.equal(request.extensions.length, 0);
  });

  it('refuses an identity an IA5String cannot hold', () => {
    assert.throws(
      () => ecdsaCertificateRequest(privateKey, 'spiffe://cluster.local/ns/é/sa/x'),
      /not a printable ASCII URI/,
    );
  });
});
