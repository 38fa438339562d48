// A CA plugged in from a `cacerts` directory, as in Istio: an intermediate signs, workloads get
// [leaf, intermediate, root], and unusable files stop the start with a stable code.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CertificateAuthority } from '../../src/ca/certificate-authority.ts';
import type { ControlPlane } from '../../src/index.ts';
import {
  CertificateClient,
  certText,
  getJson,
  joinToken,
  metricsText,
  opensslCsr,
  postJson,
  startCaControlPlane,
  tempDir,
  verify,
  type CaRootsBody,
} from './support/ca-test-kit.ts';
import { opensslCa, writeCacerts, type OpensslCa } from './support/openssl-ca.ts';
import { openssl } from './support/ca-test-kit.ts';

describe('plugged-in CA (cacerts)', { timeout: 60_000 }, () => {
  const dir = tempDir('ca-plugin');
  let pki: OpensslCa;
  let other: OpensslCa;

  before(() => {
    pki = opensslCa(dir, 'mesh');
    other = opensslCa(dir, 'other');
  });
  after(() => dir.remove());

  describe('with an intermediate that signs', () => {
    let cp: ControlPlane;
    let client: CertificateClient;
    before(async () => {
      const cacertsDir = writeCacerts(dir, 'cacerts', {
        cert: pki.intermediateCert,
        key: pki.intermediateKey,
        roots: pki.rootCert,
        chain: pki.intermediateCert + pki.rootCert,
      });
      cp = await startCaControlPlane(dir.file('data'), { ca: { cacertsDir } });
      client = new CertificateClient(cp.xdsPort);
    });
    after(async () => {
      client.close();
      await cp.close();
    });

    it('issues [leaf, intermediate, root] that openssl verifies with the root and the chain', async () => {
      const chain = await client.sign(opensslCsr(dir, 'w1').csr, await joinToken(cp, 'shop', 'cart'));
      assert.equal(chain.length, 3);
      const [leaf, intermediate, root] = chain as [string, string, string];
      assert.equal(intermediate, pki.intermediateCert);
      assert.equal(root, pki.rootCert);
      assert.match(certText(dir, leaf), /Issuer: O = Test, CN = mesh intermediate\n/);
      assert.match(certText(dir, leaf), /URI:spiffe:\/\/cluster\.local\/ns\/shop\/sa\/cart\n/);
      assert.equal(verify(dir, leaf, pki.rootCert, intermediate).status, 0);
      assert.notEqual(verify(dir, leaf, pki.rootCert).status, 0, 'the intermediate is needed');
      assert.notEqual(verify(dir, leaf, other.rootCert, intermediate).status, 0, 'another root does not do');
    });

    it('serves the plugged-in root as the bundle and refuses to rotate it', async () => {
      const roots = await getJson<CaRootsBody>(cp, '/apis/v1/ca/roots');
      assert.equal(roots.mode, 'plugged-in');
      assert.equal(roots.bundle, pki.rootCert);
      assert.equal(roots.rotation, undefined);
      const rotate = await postJson(cp, '/apis/v1/ca/root-rotate', { phase: 'prepare' });
      assert.equal(rotate.status, 409);
      assert.equal(rotate.body.code, 'HEDDLE_CA_ROTATION_UNSUPPORTED');
    });

    it('reports the intermediate expiry as the chain expiry', async () => {
      const metrics = await metricsText(cp);
      const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);
      const notAfter = (pem: string) =>
        Date.parse(/Not After : (.+)\n/.exec(certText(dir, pem))?.[1] ?? '') / 1000;
      assert.equal(value('citadel_server_cert_chain_expiry_timestamp'), notAfter(pki.intermediateCert));
      assert.equal(value('citadel_server_root_cert_expiry_timestamp'), notAfter(pki.rootCert));
    });
  });

  it('accepts cert-chain.pem without the root, or no cert-chain.pem at all', async () => {
    for (const chain of [pki.intermediateCert, undefined]) {
      const cacertsDir = writeCacerts(dir, `cacerts-${chain ? 'short' : 'none'}`, {
        cert: pki.intermediateCert,
        key: pki.intermediateKey,
        roots: pki.rootCert,
        ...(chain ? { chain } : {}),
      });
      const ca = await CertificateAuthority.open({ dir: dir.file('unused'), cacertsDir });
      assert.equal(ca.signingAuthority().chain.length, 1);
      assert.equal(ca.trustBundlePem(), pki.rootCert);
    }
  });

  it('signs with an RSA intermediate', async () => {
    const rsa = opensslCa(dir, 'rsa', true);
    const cacertsDir = writeCacerts(dir, 'cacerts-rsa', {
      cert: rsa.intermediateCert,
      key: rsa.intermediateKey,
      roots: rsa.rootCert,
      chain: rsa.intermediateCert,
    });
    const cp = await startCaControlPlane(dir.file('data-rsa'), { ca: { cacertsDir } });
    const client = new CertificateClient(cp.xdsPort);
    try {
      const [leaf, intermediate] = (await client.sign(
        opensslCsr(dir, 'w-rsa').csr,
        await joinToken(cp, 'a', 'b'),
      )) as [string, string];
      assert.match(certText(dir, leaf), /Signature Algorithm: sha256WithRSAEncryption/);
      assert.equal(verify(dir, leaf, rsa.rootCert, intermediate).status, 0);
    } finally {
      client.close();
      await cp.close();
    }
  });

  describe('unusable cacerts are refused with a stable code', () => {
    const open = (files: Parameters<typeof writeCacerts>[2], name: string, now?: Date) =>
      CertificateAuthority.open({
        dir: dir.file('unused'),
        cacertsDir: writeCacerts(dir, name, files),
        ...(now ? { now: () => now } : {}),
      });

    it('a key that is not the key of ca-cert.pem', async () => {
      await assert.rejects(
        open({ cert: pki.intermediateCert, key: other.intermediateKey, roots: pki.rootCert }, 'mismatch'),
        { code: 'HEDDLE_CA_KEY_MISMATCH', message: /ca-key\.pem is not the private key of .*ca-cert\.pem/ },
      );
    });

    it('a ca-cert.pem that is not a CA certificate', async () => {
      const leafKey = dir.file('not-ca.key');
      openssl([
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        leafKey,
        '-out',
        dir.file('not-ca.csr'),
        '-subj',
        '/CN=not a ca',
      ]);
      writeFileSync(dir.file('leaf.ext'), 'basicConstraints=CA:FALSE\n');
      const cert = openssl([
        'x509',
        '-req',
        '-in',
        dir.file('not-ca.csr'),
        '-CA',
        dir.file('mesh-int.pem'),
        '-CAkey',
        dir.file('mesh-int.key'),
        '-CAcreateserial',
        '-days',
        '2',
        '-extfile',
        dir.file('leaf.ext'),
      ]);
      const { readFileSync } = await import('node:fs');
      await assert.rejects(
        open(
          {
            cert,
            key: readFileSync(leafKey, 'utf8'),
            roots: pki.rootCert,
            chain: cert + pki.intermediateCert,
          },
          'not-ca',
        ),
        { code: 'HEDDLE_CA_NOT_A_CA', message: /ca-cert\.pem \(CN=not a ca\) is not a CA certificate/ },
      );
    });

    it('an expired intermediate', async () => {
      const in15Days = new Date(Date.now() + 15 * 24 * 3600 * 1000);
      await assert.rejects(
        open(
          { cert: pki.intermediateCert, key: pki.intermediateKey, roots: pki.rootCert },
          'expired',
          in15Days,
        ),
        { code: 'HEDDLE_CA_CERT_EXPIRED', message: /ca-cert\.pem .* expired on / },
      );
    });

    it('a chain that leads to none of the roots', async () => {
      await assert.rejects(
        open({ cert: pki.intermediateCert, key: pki.intermediateKey, roots: other.rootCert }, 'foreign-root'),
        { code: 'HEDDLE_CA_CHAIN_INVALID' },
      );
    });

    it('a missing or unparseable file', async () => {
      const target = writeCacerts(dir, 'missing', {
        cert: pki.intermediateCert,
        key: pki.intermediateKey,
        roots: pki.rootCert,
      });
      rmSync(`${target}/ca-key.pem`);
      await assert.rejects(CertificateAuthority.open({ dir: dir.file('unused'), cacertsDir: target }), {
        code: 'HEDDLE_CA_CACERTS_UNREADABLE',
        message: /cannot read .*ca-key\.pem/,
      });
      await assert.rejects(
        open({ cert: 'not pem', key: pki.intermediateKey, roots: pki.rootCert }, 'garbage'),
        { code: 'HEDDLE_CA_CACERTS_UNREADABLE', message: /ca-cert\.pem holds no PEM CERTIFICATE block/ },
      );
      await assert.rejects(
        open({ cert: pki.intermediateCert, key: 'not a key', roots: pki.rootCert }, 'garbage-key'),
        { code: 'HEDDLE_CA_CACERTS_UNREADABLE', message: /ca-key\.pem is not a usable private key/ },
      );
    });

    it('startControlPlane fails with the code', async () => {
      const cacertsDir = writeCacerts(dir, 'start-mismatch', {
        cert: pki.intermediateCert,
        key: other.intermediateKey,
        roots: pki.rootCert,
      });
      await assert.rejects(startCaControlPlane(dir.file('data-bad'), { ca: { cacertsDir } }), {
        code: 'HEDDLE_CA_KEY_MISMATCH',
      });
    });
  });
});
