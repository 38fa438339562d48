// PERMISSIVE inbound (mTLS and plaintext on one port, told apart by the TLS inspector) with the trust bundle
// delivered as the `ROOTCA` Secret over ADS: subscription, NACK of malformed PEM, and what the admin API shows.
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { SECRET_TYPE_URL, SecretSchema } from '@heddle/xds';
import { after, before, describe, it } from 'node:test';
import { call } from '../admin/support/http.ts';
import { serveRoots } from './support/mesh-xds.ts';
import { IDENTITY_A, IDENTITY_B, startTwoSidecars, type TwoSidecars } from './support/two-sidecars.ts';

describe('PERMISSIVE inbound and SDS over ADS', { timeout: 60_000 }, () => {
  let mesh: TwoSidecars;

  before(async () => {
    mesh = await startTwoSidecars({ mode: 'PERMISSIVE', ttlMs: 3600_000, rootsOverAds: true });
  });

  after(() => mesh.close());

  it('accepts mTLS from a sidecar and hands its identity to the application', async () => {
    const reply = await call(mesh.outboundPort, '/mtls');
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers['x-seen-xfcc']), /URI=spiffe:\/\/cluster\.local\/ns\/default\/sa\/a/);
  });

  it('accepts plaintext on the same port, without any peer identity', async () => {
    const reply = await call(mesh.inboundPort, '/plain', {
      headers: { 'x-forwarded-client-cert': `URI=${IDENTITY_A}` },
    });
    assert.equal(reply.status, 200);
    // A plaintext client cannot claim an identity: the forged XFCC header is removed.
    assert.equal(reply.headers['x-seen-xfcc'], '-');
  });

  it('subscribes to ROOTCA over ADS but not to the agent-provided default', async () => {
    const request = await mesh.adsB.waitFor((r) => r.typeUrl === SECRET_TYPE_URL && r.kind === 'ack');
    assert.deepEqual(request.resourceNames, ['ROOTCA']);
  });

  it('NACKs a malformed ROOTCA with the field at fault and keeps the bundle in force', async () => {
    const version = mesh.adsB.setResources(SECRET_TYPE_URL, [
      create(SecretSchema, {
        name: 'ROOTCA',
        type: {
          case: 'validationContext',
          value: {
            trustedCa: {
              specifier: {
                case: 'inlineString',
                value: '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n',
              },
            },
          },
        },
      }),
    ]);
    const nack = await mesh.adsB.waitFor((r) => r.typeUrl === SECRET_TYPE_URL && r.kind === 'nack');
    assert.notEqual(nack.versionInfo, version);
    assert.match(
      nack.errorDetail?.message ?? '',
      /^Secret "ROOTCA": validation_context\.trusted_ca: certificate #0 does not parse/,
    );
    const reply = await call(mesh.outboundPort, '/after-nack');
    assert.equal(reply.status, 200);
    serveRoots(mesh.adsB, [mesh.ca.root.pem]);
    await mesh.adsB.waitFor(
      (r) =>
        r.typeUrl === SECRET_TYPE_URL &&
        r.kind === 'ack' &&
        r.versionInfo === mesh.adsB.version(SECRET_TYPE_URL),
    );
  });

  it('shows the secrets in /config_dump with versions and the private key redacted', async () => {
    const dump = JSON.parse((await call(mesh.b.adminPort, '/config_dump')).body) as {
      configs: {
        '@type': string;
        dynamic_active_secrets?: {
          name: string;
          version_info: string;
          last_updated: string;
          secret: {
            tls_certificate?: { private_key?: { inline_string?: string }; certificate_chain?: unknown };
          };
        }[];
      }[];
    };
    const secrets =
      dump.configs.find((c) => c['@type'].endsWith('SecretsConfigDump'))?.dynamic_active_secrets ?? [];
    assert.deepEqual(
      secrets.map((s) => s.name),
      ['ROOTCA', 'default'],
    );
    const workload = secrets.find((s) => s.name === 'default');
    assert.equal(workload?.secret.tls_certificate?.private_key?.inline_string, '[redacted]');
    assert.ok(workload?.secret.tls_certificate?.certificate_chain);
    assert.ok(workload?.version_info && workload.last_updated);
    assert.doesNotMatch(JSON.stringify(dump), /PRIVATE KEY/);
  });

  it('lists certificate serial, validity and SPIFFE SAN in /certs', async () => {
    const certs = JSON.parse((await call(mesh.b.adminPort, '/certs')).body) as {
      certificates: {
        cert_chain?: {
          path: string;
          serial_number: string;
          subject_alt_names?: { uri?: string }[];
          valid_from: string;
          expiration_time: string;
        }[];
        ca_cert?: { path: string }[];
      }[];
    };
    const leaf = certs.certificates.flatMap((c) => c.cert_chain ?? []).find((d) => d.path === 'sds:default');
    assert.ok(leaf);
    assert.match(leaf.serial_number, /^[0-9a-f]+$/);
    assert.deepEqual(leaf.subject_alt_names, [{ uri: IDENTITY_B }]);
    assert.ok(Date.parse(leaf.expiration_time) > Date.parse(leaf.valid_from));
    assert.ok(certs.certificates.some((c) => c.ca_cert?.some((d) => d.path === 'sds:ROOTCA')));
  });
});
