// `heddle proxy-config secret`: the secrets the control plane sent a proxy (trust bundle, credentialName
// certificates), one table row per certificate with serial and validity; keys never appear.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestPki, type TestPki } from '@heddle/testkit';
import { parseConfigSection } from '../src/proxy-config/config-sections.ts';
import { renderProxyConfig } from '../src/proxy-config/render-proxy-config.ts';

describe('heddle proxy-config secret', () => {
  let pki: TestPki;
  let rootA: string;
  let rootB: string;
  let leaf: { cert: string; key: string };

  before(() => {
    pki = createTestPki('cli-secret');
    rootA = pki.ca('root-a');
    rootB = pki.ca('root-b');
    leaf = pki.issue('shop', 'root-a', 'DNS:shop.example.com');
  });
  after(() => pki.remove());

  /** A SecretsConfigDump as the control plane's /debug/config_dump writes it (proto3 JSON names). */
  const dump = () => ({
    configs: [
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.SecretsConfigDump',
        dynamicActiveSecrets: [
          {
            name: 'ROOTCA',
            versionInfo: '7',
            secret: { name: 'ROOTCA', validationContext: { trustedCa: { inlineString: rootA + rootB } } },
          },
          {
            name: 'kubernetes://shop-cert',
            versionInfo: '7',
            secret: {
              name: 'kubernetes://shop-cert',
              tlsCertificate: {
                certificateChain: { inlineBytes: Buffer.from(leaf.cert).toString('base64') },
                privateKey: { inlineString: '[redacted]' },
              },
            },
          },
        ],
      },
    ],
  });

  it("accepts istioctl's words for the section", () => {
    assert.equal(parseConfigSection('secret'), 'secret');
    assert.equal(parseConfigSection('secrets'), 'secret');
    assert.equal(parseConfigSection('s'), 'secret');
  });

  it('prints one row per root of the bundle and one per certificate chain', () => {
    const table = renderProxyConfig(dump(), 'secret', 'short')
      .trimEnd()
      .split('\n')
      .map((line) => line.split(/ {2,}/));
    assert.deepEqual(table[0], [
      'RESOURCE NAME',
      'TYPE',
      'STATUS',
      'VALID CERT',
      'SERIAL NUMBER',
      'NOT AFTER',
      'NOT BEFORE',
    ]);
    const serial = (pem: string) => new X509Certificate(pem).serialNumber.toLowerCase();
    assert.deepEqual(
      table.slice(1).map((row) => [row[0], row[1], row[2], row[3], row[4]]),
      [
        ['ROOTCA', 'CA', 'ACTIVE', 'true', serial(rootA)],
        ['ROOTCA', 'CA', 'ACTIVE', 'true', serial(rootB)],
        ['kubernetes://shop-cert', 'Cert Chain', 'ACTIVE', 'true', serial(leaf.cert)],
      ],
    );
    const notAfter = new X509Certificate(leaf.cert).validTo;
    assert.equal(table[3]?.[5], new Date(notAfter).toISOString());
  });

  it('prints the secret entries themselves as JSON', () => {
    const json = JSON.parse(renderProxyConfig(dump(), 'secret', 'json')) as { name: string }[];
    assert.deepEqual(
      json.map((entry) => entry.name),
      ['ROOTCA', 'kubernetes://shop-cert'],
    );
  });
});
