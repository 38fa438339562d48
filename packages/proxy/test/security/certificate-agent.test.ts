// The certificate agent against an in-test CA over gRPC: an ECDSA P-256 key and a CSR claiming the
// workload's SPIFFE ID, the bearer token read from its file for every request, and retries while refused.
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SILENT_LOGGER } from '../../src/admin/logger.ts';
import { startWorkloadAgent, type WorkloadAgent } from '../../src/security/workload-agent.ts';
import { Pkcs10CertificateRequest } from '../../src/security/x509.ts';
import { createWorkloadCsr } from '../../src/security/workload-csr.ts';
import { TestMeshCa } from './support/test-mesh-ca.ts';

const ID = 'spiffe://cluster.local/ns/shop/sa/reviews';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('certificate agent', { timeout: 30_000 }, () => {
  let ca: TestMeshCa;
  let dir: string;
  const agents: WorkloadAgent[] = [];

  before(async () => {
    ca = await TestMeshCa.start({ 'good-token': ID, 'rotated-token': ID }, 3600_000);
    dir = mkdtempSync(join(tmpdir(), 'heddle-agent-'));
  });
  after(() => {
    for (const agent of agents) agent.close();
    ca.down();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes a P-256 key and a CSR naming the claimed SPIFFE ID', async () => {
    const csr = await createWorkloadCsr(ID);
    const key = createPrivateKey(csr.privateKeyPem);
    assert.equal(key.asymmetricKeyType, 'ec');
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    const request = new Pkcs10CertificateRequest(csr.csrPem);
    assert.ok(await request.verify());
    assert.match(
      JSON.stringify(request.toString('text')),
      /spiffe:\/\/cluster\.local\/ns\/shop\/sa\/reviews/,
    );
  });

  it("gets a certificate for the token's identity, reading the token file before each request", async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'good-token\n');
    const workload = startWorkloadAgent(
      { address: ca.address, tokenFile, certificateTtlSeconds: 3600 },
      { NAMESPACE: 'shop', SERVICE_ACCOUNT: 'reviews' },
      SILENT_LOGGER,
    );
    agents.push(workload);
    await workload.agent.firstCertificate;
    const current = workload.agent.current;
    assert.ok(current);
    assert.equal(new X509Certificate(current.certificateChain).subjectAltName, `URI:${ID}`);
    assert.equal(current.root?.trim(), ca.root.pem.trim());
    assert.ok(
      new X509Certificate(current.certificateChain).checkPrivateKey(createPrivateKey(current.privateKey)),
    );
    // The chain handed to TLS holds the leaf only here; the root travels separately.
    assert.equal(current.certificateChain.match(/BEGIN CERTIFICATE/g)?.length, 1);
  });

  it('keeps retrying with back-off while the CA refuses the token, and succeeds once it is accepted', async () => {
    const tokenFile = join(dir, 'token-2');
    writeFileSync(tokenFile, 'unknown-token');
    const refusedBefore = ca.refused;
    const workload = startWorkloadAgent(
      { address: ca.address, tokenFile, certificateTtlSeconds: 3600 },
      {},
      SILENT_LOGGER,
      { retryBaseMs: 50, retryCapMs: 200 },
    );
    agents.push(workload);
    await sleep(600);
    assert.equal(workload.agent.current, undefined);
    assert.ok(ca.refused - refusedBefore >= 2, `refused ${ca.refused - refusedBefore} times`);
    assert.match(workload.agent.lastError ?? '', /unknown token/);
    writeFileSync(tokenFile, 'rotated-token');
    await workload.agent.firstCertificate;
    assert.ok(workload.agent.current);
  });
});
