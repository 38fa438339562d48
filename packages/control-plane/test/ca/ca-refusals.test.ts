// What the CA refuses, with the gRPC status and a message that says why: missing, expired, foreign, forged and
// tampered tokens (UNAUTHENTICATED), and CSRs that are garbage or not signed by their key (INVALID_ARGUMENT).
// The citadel_server_* counters count each outcome.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { generateKeyPair, importPKCS8, SignJWT, type CryptoKey } from 'jose';
import type { ControlPlane } from '../../src/index.ts';
import {
  CertificateClient,
  joinToken,
  metricsText,
  opensslCsr,
  startCaControlPlane,
  tempDir,
} from './support/ca-test-kit.ts';

const now = () => Math.floor(Date.now() / 1000);

describe('CreateCertificate: refusals', { timeout: 60_000 }, () => {
  const dir = tempDir('ca-refuse');
  const dataDir = dir.file('data');
  let cp: ControlPlane;
  let client: CertificateClient;
  let csr: string;
  let tokenKey: CryptoKey;

  /** A token signed with the CA's real token key, with claims the test chooses. */
  const craft = (claims: Record<string, unknown>, key: CryptoKey = tokenKey, alg = 'ES256') =>
    new SignJWT({ ns: 'shop', sa: 'reviews', ...claims }).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);

  before(async () => {
    cp = await startCaControlPlane(dataDir);
    client = new CertificateClient(cp.xdsPort);
    csr = opensslCsr(dir, 'workload').csr;
    tokenKey = await importPKCS8(readFileSync(`${dataDir}/ca/token-key.pem`, 'utf8'), 'ES256');
  });
  after(async () => {
    client.close();
    await cp.close();
    dir.remove();
  });

  const valid = {
    iss: 'heddle',
    aud: 'heddle-ca',
    sub: 'system:serviceaccount:shop:reviews',
  };

  it('a crafted token with the right claims and key is accepted (the cases below differ in one thing)', async () => {
    const token = await craft({ ...valid, iat: now(), exp: now() + 600 });
    assert.equal((await client.sign(csr, token)).length, 2);
  });

  const refusedTokens: [string, () => Promise<string | undefined>, RegExp][] = [
    ['no authorization metadata', () => Promise.resolve(undefined), /no "authorization: Bearer <token>"/],
    [
      'a token for another audience',
      () => craft({ ...valid, aud: 'istio-ca', iat: now(), exp: now() + 600 }),
      /audience must be "heddle-ca"/,
    ],
    [
      'a token from another issuer',
      () => craft({ ...valid, iss: 'someone', iat: now(), exp: now() + 600 }),
      /issuer must be "heddle"/,
    ],
    ['an expired token', () => craft({ ...valid, iat: now() - 7200, exp: now() - 3600 }), /expired/],
    ['a token without expiry', () => craft({ ...valid, iat: now() }), /"exp" claim/],
    [
      'a token signed with another key',
      async () =>
        craft({ ...valid, iat: now(), exp: now() + 600 }, (await generateKeyPair('ES256')).privateKey),
      /signature does not verify/,
    ],
    [
      'a token whose payload was changed after signing',
      async () => {
        const [header, payload, signature] = (await joinToken(cp, 'shop', 'reviews')).split('.') as [
          string,
          string,
          string,
        ];
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
        const forged = { ...claims, ns: 'kube-system', sub: 'system:serviceaccount:kube-system:reviews' };
        return `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
      },
      /signature does not verify/,
    ],
    [
      'an unsigned token (alg none)',
      () => {
        const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
        const payload = Buffer.from(
          JSON.stringify({ ...valid, ns: 'shop', sa: 'reviews', iat: now(), exp: now() + 600 }),
        ).toString('base64url');
        return Promise.resolve(`${header}.${payload}.`);
      },
      /not signed with ES256|malformed/,
    ],
    [
      'a token whose subject disagrees with its ns/sa claims',
      () => craft({ ...valid, sub: 'system:serviceaccount:kube-system:admin', iat: now(), exp: now() + 600 }),
      /subject does not match/,
    ],
    [
      'a token naming an invalid service account',
      () => craft({ ...valid, sa: 'a/b', iat: now(), exp: now() + 600 }),
      /service account/,
    ],
    ['garbage', () => Promise.resolve('not-a-jwt'), /malformed|invalid/],
  ];

  for (const [name, token, message] of refusedTokens) {
    it(`refuses ${name} with UNAUTHENTICATED`, async () => {
      const error = await client.refusal(csr, await token());
      assert.equal(error.code, status.UNAUTHENTICATED);
      assert.match(error.details, /^HEDDLE_CA_UNAUTHENTICATED: /);
      assert.match(error.details, message);
    });
  }

  it('refuses bad CSRs with INVALID_ARGUMENT', async () => {
    const token = await joinToken(cp, 'shop', 'reviews');
    const base64 =
      /-----BEGIN CERTIFICATE REQUEST-----\n([\s\S]+)\n-----END CERTIFICATE REQUEST-----/.exec(csr)?.[1] ??
      '';
    const der = Buffer.from(base64.replace(/\s/g, ''), 'base64');
    // Flip a bit of the subject (inside the signed part): the signature no longer matches.
    const tampered = Buffer.from(der);
    const cn = tampered.indexOf(Buffer.from('workload'));
    tampered[cn] = (tampered[cn] ?? 0) ^ 0x01;
    const pem = (bytes: Buffer) =>
      `-----BEGIN CERTIFICATE REQUEST-----\n${bytes.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE REQUEST-----\n`;
    const cases: [string, string, RegExp][] = [
      ['empty', '', /no CSR/],
      ['not PEM', 'hello', /not one PEM/],
      ['PEM of garbage', pem(Buffer.from('garbage garbage garbage')), /not a valid PKCS#10/],
      ['signature does not match', pem(tampered), /signature does not verify/],
      ['too large', 'A'.repeat(20_000), /larger than/],
    ];
    for (const [name, body, message] of cases) {
      const error = await client.refusal(body, token);
      assert.equal(error.code, status.INVALID_ARGUMENT, name);
      assert.match(error.details, /^HEDDLE_CA_CSR_INVALID: /, name);
      assert.match(error.details, message, name);
    }
    const negative = await client.refusal(csr, token, -5n);
    assert.equal(negative.code, status.INVALID_ARGUMENT);
  });

  it('counts requests, issuances, authentication failures and CSR errors', async () => {
    const metrics = await metricsText(cp);
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);
    const refusedCsrs = 6;
    assert.equal(value('citadel_server_authentication_failure_count'), refusedTokens.length);
    assert.equal(value('citadel_server_csr_parsing_err_count'), refusedCsrs);
    assert.equal(value('citadel_server_success_cert_issuance_count'), 1);
    assert.equal(value('citadel_server_csr_count'), 1 + refusedTokens.length + refusedCsrs);
    const rootExpiry = value('citadel_server_root_cert_expiry_timestamp');
    assert.ok(rootExpiry > now() + 9 * 365 * 24 * 3600, 'the self-signed root lives ten years');
    assert.equal(value('citadel_server_cert_chain_expiry_timestamp'), rootExpiry);
  });
});
