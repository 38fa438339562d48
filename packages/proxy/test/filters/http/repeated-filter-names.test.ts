// Two HTTP filters with one name, as Istio writes its DENY and ALLOW RBAC filters (both
// `envoy.filters.http.rbac`): Envoy takes the chain, and so does the proxy; each filter runs in its place.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rawRequest } from '../support/raw-http.ts';
import { anyPrincipal, httpRbacFilter, pathPrefix, rules } from '../support/rbac-config.ts';
import { startSecuredProxy, type Echo, type SecuredProxy } from '../support/secured-proxy.ts';

const DENY = httpRbacFilter({
  rules: rules('DENY', {
    'ns[default]-policy[deny-admin]-rule[0]': {
      permissions: [pathPrefix('/admin')],
      principals: [anyPrincipal],
    },
  }),
});
const ALLOW = httpRbacFilter({
  rules: rules('ALLOW', {
    'ns[default]-policy[allow-api]-rule[0]': {
      permissions: [pathPrefix('/api'), pathPrefix('/admin')],
      principals: [anyPrincipal],
    },
  }),
});

describe('HTTP filters that share a name', { timeout: 30_000 }, () => {
  let proxy: SecuredProxy;

  before(async () => {
    proxy = await startSecuredProxy({ httpFilters: [DENY, ALLOW] });
  });

  after(async () => {
    await proxy.close();
  });

  it('are accepted and each enforced: the DENY filter first, then the ALLOW filter', async () => {
    const allowed = await rawRequest(proxy.port, '/api/items');
    assert.equal(allowed.status, 200);
    assert.equal((JSON.parse(allowed.body) as Echo).url, '/api/items');
    // Allowed by the second filter, denied by the first.
    const denied = await rawRequest(proxy.port, '/admin/users');
    assert.equal(denied.status, 403);
    assert.equal(denied.body, 'RBAC: access denied');
    // Denied by nothing, allowed by nothing: the ALLOW filter refuses it.
    assert.equal((await rawRequest(proxy.port, '/other')).status, 403);
  });
});
