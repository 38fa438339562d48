// SDS secrets checked before use, and the agent's renewal arithmetic: every malformed secret is refused with
// the field at fault; renewal lands near half-life within the jitter; back-off grows, is capped, and never
// waits past the expiry of the certificate in hand.
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { SecretSchema } from '@heddle/xds';
import { after, before, describe, it } from 'node:test';
import { createTestPki, type TestPki } from '../../../testkit/src/test-pki.ts';
import { compileSecret } from '../../src/security/secret-material.ts';
import { DEFAULT_ROTATION, renewDelayMs, retryDelayMs } from '../../src/security/rotation-schedule.ts';

const inline = (value: string) => ({ specifier: { case: 'inlineString' as const, value } });

describe('SDS secret checks', () => {
  let pki: TestPki;
  let root: string;
  let leaf: { cert: string; key: string };
  let other: { cert: string; key: string };
  before(() => {
    pki = createTestPki('sds-secrets');
    root = pki.ca('root');
    leaf = pki.issue('leaf', 'root', 'URI:spiffe://cluster.local/ns/default/sa/a');
    other = pki.issue('other', 'root', 'URI:spiffe://cluster.local/ns/default/sa/b');
  });
  after(() => pki.remove());

  const certificate = (chain: string, key: string) =>
    compileSecret(
      create(SecretSchema, {
        name: 'default',
        type: { case: 'tlsCertificate', value: { certificateChain: inline(chain), privateKey: inline(key) } },
      }),
    );
  const bundle = (pem: string) =>
    compileSecret(
      create(SecretSchema, {
        name: 'ROOTCA',
        type: { case: 'validationContext', value: { trustedCa: inline(pem) } },
      }),
    );

  it('accepts a certificate chain with its key, and a bundle of roots', () => {
    const cert = certificate(leaf.cert, leaf.key);
    assert.ok(!('error' in cert) && cert.kind === 'certificate');
    const roots = bundle(root + pki.ca('second'));
    assert.ok(!('error' in roots) && roots.kind === 'validation' && roots.certificates.length === 2);
  });

  it("refuses a key that is not the certificate's", () => {
    assert.deepEqual(certificate(leaf.cert, other.key), {
      error:
        'Secret "default": tls_certificate.private_key: does not match the first certificate of certificate_chain',
    });
  });

  it('refuses malformed PEM, naming the block', () => {
    const garbled = `${root}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`;
    assert.match(
      (bundle(garbled) as { error: string }).error,
      /^Secret "ROOTCA": validation_context\.trusted_ca: certificate #1 does not parse/,
    );
    assert.deepEqual(bundle('not pem'), {
      error: 'Secret "ROOTCA": validation_context.trusted_ca: no PEM CERTIFICATE block',
    });
    assert.deepEqual(bundle(leaf.key), {
      error:
        'Secret "ROOTCA": validation_context.trusted_ca: PEM block #0 is PRIVATE KEY, expected CERTIFICATE',
    });
    assert.match(
      (certificate(leaf.cert, 'nope') as { error: string }).error,
      /^Secret "default": tls_certificate\.private_key: does not parse/,
    );
  });

  it('refuses a leaf as a root and a secret with nothing in it', () => {
    assert.deepEqual(bundle(leaf.cert), {
      error: 'Secret "ROOTCA": validation_context.trusted_ca: certificate #0 is not a CA',
    });
    assert.deepEqual(compileSecret(create(SecretSchema, { name: 'x' })), {
      error: 'Secret "x": no tls_certificate or validation_context',
    });
    assert.deepEqual(
      compileSecret(create(SecretSchema, { name: 'x', type: { case: 'genericSecret', value: {} } })),
      { error: 'Secret "x": generic_secret: not supported' },
    );
  });
});

describe('renewal schedule', () => {
  const policy = { ...DEFAULT_ROTATION, jitterRatio: 0.1 };

  it('renews at half-life, moved by at most the jitter', () => {
    const at = (random: number) => renewDelayMs(0, 10_000, 0, random, policy);
    assert.equal(at(0.5), 5000);
    assert.equal(at(0), 4000);
    assert.equal(at(1), 6000);
    assert.equal(renewDelayMs(0, 10_000, 7000, 0.5, policy), 0);
  });

  it('backs off exponentially up to the cap, and retries before the certificate lapses', () => {
    const base = { ...policy, retryBaseMs: 100, retryCapMs: 1000 };
    assert.equal(retryDelayMs(1, 1, base, undefined), 100);
    assert.equal(retryDelayMs(3, 1, base, undefined), 400);
    assert.equal(retryDelayMs(10, 1, base, undefined), 1000);
    assert.equal(retryDelayMs(10, 1, base, 600), 300);
    assert.ok(retryDelayMs(10, 0, base, undefined) >= 500);
  });
});
