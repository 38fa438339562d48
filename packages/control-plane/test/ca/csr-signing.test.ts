// CreateCertificate over real gRPC: the identity comes from the join token (never from the CSR), the leaf has
// Istio's shape (SPIFFE URI SAN, serverAuth+clientAuth, 24 h by default) and chains to the CA's root.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ControlPlane } from '../../src/index.ts';
import {
  CertificateClient,
  certText,
  getJson,
  joinToken,
  openssl,
  opensslCsr,
  postJson,
  startCaControlPlane,
  tempDir,
  verify,
  type CaRootsBody,
} from './support/ca-test-kit.ts';

const HOUR = 3600;

describe('CreateCertificate: signing a workload CSR', { timeout: 60_000 }, () => {
  const dir = tempDir('ca-sign');
  let cp: ControlPlane;
  let client: CertificateClient;
  let root: string;

  before(async () => {
    cp = await startCaControlPlane(dir.file('data'), { ca: { maxWorkloadCertTtlSeconds: 48 * HOUR } });
    client = new CertificateClient(cp.xdsPort);
    root = (await getJson<CaRootsBody>(cp, '/apis/v1/ca/roots')).bundle;
  });
  after(async () => {
    client.close();
    await cp.close();
    dir.remove();
  });

  it('issues [leaf, root] for the token identity, ignoring the SAN the CSR asks for', async () => {
    const { csr } = opensslCsr(dir, 'reviews', 'URI:spiffe://cluster.local/ns/kube-system/sa/admin');
    const chain = await client.sign(csr, await joinToken(cp, 'shop', 'reviews'));
    assert.equal(chain.length, 2);
    const [leaf, chainRoot] = chain as [string, string];
    assert.equal(chainRoot, root, 'the chain ends with the root of the trust bundle');

    const text = certText(dir, leaf);
    assert.match(
      text,
      /X509v3 Subject Alternative Name: critical\n\s+URI:spiffe:\/\/cluster\.local\/ns\/shop\/sa\/reviews\n/,
    );
    assert.doesNotMatch(text, /kube-system/);
    assert.match(
      text,
      /X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication, TLS Web Client Authentication\n/,
    );
    assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment\n/);
    assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE\n/);

    assert.equal(verify(dir, leaf, root).status, 0);
    assert.equal(verify(dir, leaf, root, undefined, 'sslserver').status, 0);
    assert.equal(verify(dir, leaf, root, undefined, 'sslclient').status, 0);
  });

  it('defaults to 24 h, honours a shorter request and caps a longer one at the maximum', async () => {
    const token = await joinToken(cp, 'shop', 'reviews');
    const lifetime = async (seconds: bigint) => {
      const [leaf] = await client.sign(opensslCsr(dir, `ttl-${seconds}`).csr, token, seconds);
      const text = certText(dir, leaf as string);
      const notBefore = Date.parse(/Not Before: (.+)\n/.exec(text)?.[1] ?? '');
      const notAfter = Date.parse(/Not After : (.+)\n/.exec(text)?.[1] ?? '');
      // notBefore is back-dated one minute for clock skew.
      return (notAfter - notBefore) / 1000 - 60;
    };
    assert.ok(Math.abs((await lifetime(0n)) - 24 * HOUR) <= 2);
    assert.ok(Math.abs((await lifetime(BigInt(HOUR))) - HOUR) <= 2);
    assert.ok(Math.abs((await lifetime(BigInt(365 * 24 * HOUR))) - 48 * HOUR) <= 2);
  });

  it('puts the trust domain of meshConfig into the SPIFFE ID', async () => {
    const configMap = `apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    trustDomain: example.org
`;
    const response = await fetch(`http://127.0.0.1:${cp.httpPort}/apis/v1/apply`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: configMap,
    });
    assert.equal(response.status, 200, await response.text());
    await cp.idle();
    const [leaf] = await client.sign(opensslCsr(dir, 'td').csr, await joinToken(cp, 'shop', 'ratings'));
    assert.match(certText(dir, leaf as string), /URI:spiffe:\/\/example\.org\/ns\/shop\/sa\/ratings\n/);
    const deleted = await fetch(`http://127.0.0.1:${cp.httpPort}/apis/v1/delete`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: configMap,
    });
    assert.equal(deleted.status, 200);
    await cp.idle();
  });

  it('a workload registration returns a join token for its namespace and service account', async () => {
    const { status, body } = await postJson(cp, '/apis/v1/workloads', {
      name: 'ratings-1',
      namespace: 'shop',
      address: '127.0.0.1',
      serviceAccount: 'ratings',
      ports: { http: 9080 },
    });
    assert.equal(status, 201, JSON.stringify(body));
    assert.equal(typeof body.id, 'number');
    assert.equal(typeof body.joinToken, 'string');
    const [leaf] = await client.sign(opensslCsr(dir, 'registered').csr, body.joinToken as string);
    assert.match(certText(dir, leaf as string), /URI:spiffe:\/\/cluster\.local\/ns\/shop\/sa\/ratings\n/);

    const defaulted = await postJson(cp, '/apis/v1/workloads', {
      name: 'details-1',
      namespace: 'shop',
      address: '127.0.0.1',
    });
    assert.equal(defaulted.status, 201);
    const [defaultLeaf] = await client.sign(
      opensslCsr(dir, 'default-sa').csr,
      defaulted.body.joinToken as string,
    );
    assert.match(
      certText(dir, defaultLeaf as string),
      /URI:spiffe:\/\/cluster\.local\/ns\/shop\/sa\/default\n/,
    );

    const refused = await postJson(cp, '/apis/v1/workloads', {
      name: 'evil-1',
      namespace: 'shop',
      address: '127.0.0.1',
      serviceAccount: 'x/../../ns/kube-system/sa/admin',
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, 'HEDDLE_WORKLOAD_INVALID');
    const workloads = await getJson<unknown[]>(cp, '/apis/v1/workloads');
    assert.ok(!JSON.stringify(workloads).includes('evil-1'), 'a refused registration is not registered');
  });

  it('POST /apis/v1/tokens checks the identity and the lifetime', async () => {
    const ok = await postJson(cp, '/apis/v1/tokens', {
      namespace: 'shop',
      serviceAccount: 'cart',
      ttlSeconds: 600,
    });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.identity, 'spiffe://cluster.local/ns/shop/sa/cart');
    const expiresIn = Date.parse(ok.body.expiresAt as string) - Date.now();
    assert.ok(expiresIn > 590_000 && expiresIn <= 601_000, `expires in ${expiresIn} ms`);
    for (const body of [
      { namespace: 'Shop', serviceAccount: 'cart' },
      { namespace: 'shop', serviceAccount: 'a/b' },
      { namespace: 'shop' },
      { namespace: 'shop', serviceAccount: 'cart', ttlSeconds: 10 },
      { namespace: 'shop', serviceAccount: 'cart', ttlSeconds: 10 * 365 * 24 * HOUR },
      { namespace: 'shop', serviceAccount: 'cart', ttlSeconds: 'long' },
    ]) {
      const refused = await postJson(cp, '/apis/v1/tokens', body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body.code, 'HEDDLE_CA_TOKEN_REQUEST_INVALID');
    }
  });

  it('accepts RSA 2048 CSRs and refuses RSA 1024', async () => {
    const token = await joinToken(cp, 'shop', 'reviews');
    const rsaCsr = (bits: number) => {
      openssl([
        'req',
        '-new',
        '-newkey',
        `rsa:${bits}`,
        '-nodes',
        '-keyout',
        dir.file(`rsa${bits}.key`),
        '-out',
        dir.file(`rsa${bits}.csr`),
        '-subj',
        '/CN=rsa',
      ]);
      return openssl(['req', '-in', dir.file(`rsa${bits}.csr`)]);
    };
    const [leaf] = await client.sign(rsaCsr(2048), token);
    assert.equal(verify(dir, leaf as string, root).status, 0);
    const refused = await client.refusal(rsaCsr(1024), token);
    assert.match(refused.details, /RSA key has 1024 bits/);
  });
});

describe('a self-signed RSA root', { timeout: 60_000 }, () => {
  it('is made on first start with ca.keyType RSA_2048 and signs with SHA-256', async () => {
    const dir = tempDir('ca-rsa');
    const cp = await startCaControlPlane(dir.file('data'), { ca: { keyType: 'RSA_2048' } });
    const client = new CertificateClient(cp.xdsPort);
    try {
      const status = await getJson<CaRootsBody>(cp, '/apis/v1/ca/roots');
      assert.equal(status.keyType, 'RSA_2048');
      assert.match(certText(dir, status.bundle), /Public-Key: \(2048 bit\)/);
      const [leaf] = await client.sign(opensslCsr(dir, 'w').csr, await joinToken(cp, 'shop', 'reviews'));
      assert.match(certText(dir, leaf as string), /Signature Algorithm: sha256WithRSAEncryption/);
      assert.equal(verify(dir, leaf as string, status.bundle).status, 0);
    } finally {
      client.close();
      await cp.close();
      dir.remove();
    }
  });
});
