// Which SDS secrets a caller may receive: credential secrets (`kubernetes://…`) only in its token's namespace;
// the trust bundle and the workload's own secrets always.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create } from '@bufbuild/protobuf';
import { CLUSTER_TYPE_URL, SECRET_TYPE_URL } from '@heddle/xds';
import { SecretSchema } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.ts';
import {
  credentialNamespace,
  withholdCredentialSecrets,
} from '../../../src/xds/auth/credential-secret-guard.ts';
import type { XdsCaller } from '../../../src/xds/auth/xds-caller.ts';
import { proxyResourcesFrom } from '../../../src/xds/proxy-resources.ts';

const NAMES = [
  'ROOTCA',
  'kubernetes://shop-cert',
  'kubernetes://shop-cert-cacert',
  'kubernetes://payments/pay-cert',
];

function resources() {
  return proxyResourcesFrom({
    listeners: [],
    routes: [],
    clusters: [],
    endpoints: [],
    warnings: [],
    secrets: NAMES.map((name) => create(SecretSchema, { name })),
  });
}

function secretNames(caller: XdsCaller, nodeNamespace = 'shop') {
  const guarded = withholdCredentialSecrets(resources(), caller, nodeNamespace);
  return {
    served: [...(guarded.resources.get(SECRET_TYPE_URL)?.keys() ?? [])].sort(),
    withheld: guarded.withheld,
  };
}

describe('credentialNamespace', () => {
  it('reads `kubernetes://<ns>/<name>`, and puts a bare name in the proxy’s namespace', () => {
    assert.equal(credentialNamespace('kubernetes://payments/pay-cert', 'shop'), 'payments');
    assert.equal(credentialNamespace('kubernetes://shop-cert', 'shop'), 'shop');
    assert.equal(credentialNamespace('ROOTCA', 'shop'), undefined);
    assert.equal(credentialNamespace('default', 'shop'), undefined);
  });
});

describe('withholdCredentialSecrets', () => {
  it('serves a token in `shop` its own namespace’s credentials, not those of `payments`', () => {
    const caller: XdsCaller = { admittedBy: 'token', identity: { namespace: 'shop', serviceAccount: 'gw' } };
    assert.deepEqual(secretNames(caller), {
      served: ['ROOTCA', 'kubernetes://shop-cert', 'kubernetes://shop-cert-cacert'],
      withheld: ['kubernetes://payments/pay-cert'],
    });
  });

  it('serves no credential to a stream let in from loopback without a token', () => {
    assert.deepEqual(secretNames({ admittedBy: 'loopback' }), {
      served: ['ROOTCA'],
      withheld: ['kubernetes://payments/pay-cert', 'kubernetes://shop-cert', 'kubernetes://shop-cert-cacert'],
    });
  });

  it('serves everything when authentication is off, and returns the same object', () => {
    const all = resources();
    const guarded = withholdCredentialSecrets(all, { admittedBy: 'auth-off' }, 'shop');
    assert.equal(guarded.resources, all);
    assert.deepEqual(guarded.withheld, []);
  });

  it('leaves the other types untouched', () => {
    const all = resources();
    const guarded = withholdCredentialSecrets(all, { admittedBy: 'loopback' }, 'shop');
    assert.equal(guarded.resources.get(CLUSTER_TYPE_URL), all.get(CLUSTER_TYPE_URL));
  });
});
