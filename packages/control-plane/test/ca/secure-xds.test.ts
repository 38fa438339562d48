// The TLS port (Istio's 15012): ADS and CreateCertificate over TLS with a certificate the CA issued for
// `istiod.istio-system.svc` and the listen address, verified by clients with the trust bundle.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { create } from '@bufbuild/protobuf';
import { credentials, makeGenericClientConstructor, Metadata, type ChannelCredentials } from '@grpc/grpc-js';
import {
  aggregatedDiscoveryServiceDefinition,
  CLUSTER_TYPE_URL,
  DiscoveryRequestSchema,
  type AggregatedDiscoveryServiceClient,
  type DiscoveryResponse,
} from '@heddle/xds';
import type { ControlPlane } from '../../src/index.ts';
import { sidecarXdsNode } from '../support/ads-client.ts';
import {
  CertificateClient,
  certText,
  getJson,
  joinToken,
  opensslAsync,
  opensslCsr,
  startCaControlPlane,
  tempDir,
  verify,
  type CaRootsBody,
} from './support/ca-test-kit.ts';

const AdsClient = makeGenericClientConstructor(
  aggregatedDiscoveryServiceDefinition,
  'AggregatedDiscoveryService',
) as unknown as new (
  address: string,
  creds: ChannelCredentials,
  options: Record<string, string>,
) => AggregatedDiscoveryServiceClient;

const SERVER_NAME = { 'grpc.ssl_target_name_override': 'istiod.istio-system.svc' };

describe('secure xDS port', { timeout: 60_000 }, () => {
  const dir = tempDir('ca-secure');
  let cp: ControlPlane;
  let bundle: string;

  before(async () => {
    cp = await startCaControlPlane(dir.file('data'), { secureXdsAddress: '127.0.0.1:0' });
    bundle = (await getJson<CaRootsBody>(cp, '/apis/v1/ca/roots')).bundle;
  });
  after(async () => {
    await cp.close();
    dir.remove();
  });

  it('is off unless asked when the plaintext address is chosen', async () => {
    const plain = await startCaControlPlane(dir.file('data-plain'));
    try {
      assert.equal(plain.secureXdsPort, undefined);
    } finally {
      await plain.close();
    }
  });

  it('presents a CA-issued certificate for istiod.istio-system.svc and 127.0.0.1', async () => {
    const port = cp.secureXdsPort;
    assert.ok(port);
    const shown = await opensslAsync([
      's_client',
      '-connect',
      `127.0.0.1:${port}`,
      '-servername',
      'istiod.istio-system.svc',
      '-alpn',
      'h2',
      '-showcerts',
    ]);
    const served = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/.exec(shown)?.[0] ?? '';
    const text = certText(dir, served);
    assert.match(text, /DNS:istiod\.istio-system\.svc/);
    assert.match(text, /IP Address:127\.0\.0\.1/);
    assert.equal(verify(dir, served, bundle, undefined, 'sslserver').status, 0);
  });

  it('signs CSRs over TLS', async () => {
    const client = new CertificateClient(
      cp.secureXdsPort ?? 0,
      credentials.createSsl(Buffer.from(bundle)),
      SERVER_NAME,
    );
    try {
      const [leaf] = await client.sign(opensslCsr(dir, 'tls').csr, await joinToken(cp, 'shop', 'reviews'));
      assert.equal(verify(dir, leaf as string, bundle).status, 0);
    } finally {
      client.close();
    }
  });

  it('serves ADS over TLS', async () => {
    const client = new AdsClient(
      `127.0.0.1:${cp.secureXdsPort}`,
      credentials.createSsl(Buffer.from(bundle)),
      SERVER_NAME,
    );
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${await joinToken(cp, 'shop', 'default')}`);
    const stream = client.streamAggregatedResources(metadata);
    try {
      const response = await new Promise<DiscoveryResponse>((resolve, reject) => {
        stream.on('data', resolve);
        stream.on('error', reject);
        stream.write(
          create(DiscoveryRequestSchema, {
            node: sidecarXdsNode('reviews', 'shop'),
            typeUrl: CLUSTER_TYPE_URL,
          }),
        );
      });
      assert.equal(response.typeUrl, CLUSTER_TYPE_URL);
    } finally {
      stream.on('error', () => {});
      stream.cancel();
      client.close();
    }
  });

  it('refuses a client that does not trust the mesh root', async () => {
    const client = new CertificateClient(cp.secureXdsPort ?? 0, credentials.createSsl(), SERVER_NAME);
    try {
      const error = await client.refusal(
        opensslCsr(dir, 'untrusted').csr,
        await joinToken(cp, 'shop', 'reviews'),
      );
      assert.equal(error.code, 14, 'UNAVAILABLE: the TLS handshake fails');
    } finally {
      client.close();
    }
  });

  it('renews its certificate from the new root after a rotation is activated', async () => {
    const served = async () => {
      const shown = await opensslAsync([
        's_client',
        '-connect',
        `127.0.0.1:${cp.secureXdsPort}`,
        '-alpn',
        'h2',
      ]);
      return /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/.exec(shown)?.[0] ?? '';
    };
    for (const phase of ['prepare', 'activate']) {
      const response = await fetch(`http://127.0.0.1:${cp.httpPort}/apis/v1/ca/root-rotate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phase }),
      });
      assert.equal(response.status, 200);
    }
    const status = await getJson<CaRootsBody>(cp, '/apis/v1/ca/roots');
    const newRoot = status.roots.find((root) => root.signing)?.pem ?? '';
    let verified = false;
    for (let attempt = 0; attempt < 20 && !verified; attempt++) {
      verified = verify(dir, await served(), newRoot).status === 0;
      if (!verified) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(verified, 'the served certificate chains to the new root');
  });
});
