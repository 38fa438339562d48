// HTTP RBAC over a real proxy, attacked with path tricks: the DENY rule on /admin and the ALLOW rule on
// /public must hold for every spelling of a path, and what the upstream receives is the path policy checked.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { HttpConnectionManager_PathWithEscapedSlashesAction as Escaped } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import type { Echo } from '../support/secured-proxy.ts';
import { startSecuredProxy, type SecuredProxy } from '../support/secured-proxy.ts';
import { rawRequest } from '../support/raw-http.ts';
import { anyPrincipal, httpRbacFilter, pathExact, pathPrefix, rules } from '../support/rbac-config.ts';

const DENY = httpRbacFilter({
  rules: rules('DENY', {
    'ns[default]-policy[deny-admin]-rule[0]': {
      permissions: [pathPrefix('/admin'), pathExact('/internal/secret')],
      principals: [anyPrincipal],
    },
  }),
});
const ALLOW = httpRbacFilter(
  {
    rules: rules('ALLOW', {
      'ns[default]-policy[allow-public]-rule[0]': {
        permissions: [pathPrefix('/public'), pathPrefix('/internal'), pathPrefix('/admin')],
        principals: [anyPrincipal],
      },
    }),
  },
  'envoy.filters.http.rbac.allow',
);

async function get(proxy: SecuredProxy, target: string) {
  return rawRequest(proxy.port, target);
}

describe('HTTP RBAC against path tricks', { timeout: 30_000 }, () => {
  let base: SecuredProxy;
  let merging: SecuredProxy;

  before(async () => {
    base = await startSecuredProxy({ httpFilters: [DENY, ALLOW] });
    merging = await startSecuredProxy({
      httpFilters: [DENY, ALLOW],
      hcm: { mergeSlashes: true, pathWithEscapedSlashesAction: Escaped.UNESCAPE_AND_FORWARD },
    });
  });

  after(async () => {
    await base.close();
    await merging.close();
  });

  it('allows a path the ALLOW rule names and forwards it unchanged', async () => {
    const reply = await get(base, '/public/page?x=1');
    assert.equal(reply.status, 200);
    assert.equal((JSON.parse(reply.body) as Echo).url, '/public/page?x=1');
  });

  it('denies a path the DENY rule names with 403 "RBAC: access denied"', async () => {
    const reply = await get(base, '/admin/users');
    assert.equal(reply.status, 403);
    assert.equal(reply.body, 'RBAC: access denied');
  });

  it('denies a path no ALLOW rule names', async () => {
    const reply = await get(base, '/other');
    assert.equal(reply.status, 403);
  });

  for (const target of [
    '/public/../admin',
    '/public/./../admin/x',
    '/%61dmin',
    '/public/%2e%2e/admin',
    '/public/%2E%2E/admin',
    '/public\\..\\admin',
    '/admin#fragment',
    '/admin;jsessionid=1',
    '/admin?/public',
    '/internal/secret#x',
    '/internal/./secret',
    '/internal/%73ecret',
  ]) {
    it(`denies ${JSON.stringify(target)}, which canonicalizes onto a denied path`, async () => {
      const reply = await get(base, target);
      assert.equal(reply.status, 403, `${target}: ${reply.body}`);
    });
  }

  it('denies curl --path-as-is with dot segments, as sent by a real client', async () => {
    const { stdout } = await promisify(execFile)(
      'curl',
      [
        '-s',
        '--path-as-is',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '--max-time',
        '5',
        `${base.url}/public/../admin/x`,
      ],
      { timeout: 10_000 },
    );
    assert.equal(stdout, '403');
  });

  it('refuses %00 in the path with 400 before policy or upstream see it', async () => {
    assert.equal((await get(base, '/public/%00/x')).status, 400);
  });

  it('decodes only once: a double-encoded dot segment stays encoded for policy and upstream alike', async () => {
    const reply = await get(base, '/public/%252e%252e/admin');
    assert.equal(reply.status, 200);
    assert.equal((JSON.parse(reply.body) as Echo).url, '/public/%252e%252e/admin');
  });

  it('keeps an encoded slash encoded by default, so the upstream sees exactly what policy saw', async () => {
    // Policy saw `/internal%2Fsecret` (not the exact `/internal/secret`) and so does the upstream: an
    // upstream that decodes %2F itself needs the unescaping options below.
    const reply = await get(base, '/internal%2Fsecret');
    assert.equal(reply.status, 200);
    assert.equal((JSON.parse(reply.body) as Echo).url, '/internal%2Fsecret');
  });

  it('with unescaping of slashes, an encoded slash cannot dodge the exact deny rule', async () => {
    assert.equal((await get(merging, '/internal%2Fsecret')).status, 403);
    assert.equal((await get(merging, '/internal%2fsecret')).status, 403);
    assert.equal((await get(merging, '/internal%5Csecret')).status, 403);
    const reply = await get(merging, '/public%2Fx');
    assert.equal((JSON.parse(reply.body) as Echo).url, '/public/x');
  });

  it('with merge_slashes, //admin is /admin for policy and upstream', async () => {
    assert.equal((await get(merging, '//admin')).status, 403);
    const reply = await get(merging, '//public//a');
    assert.equal(reply.status, 200);
    assert.equal((JSON.parse(reply.body) as Echo).url, '/public/a');
  });

  it('without merge_slashes, //admin is neither denied nor allowed: it ends denied', async () => {
    assert.equal((await get(base, '//admin')).status, 403);
  });

  it('reports the matched policy in the response code details and counts stats', async () => {
    const denied = await base.stat('http.inbound_0.0.0.0_8080.rbac.denied');
    const allowed = await base.stat('http.inbound_0.0.0.0_8080.rbac.allowed');
    assert.ok(denied >= 10, `denied ${denied}`);
    assert.ok(allowed >= 2, `allowed ${allowed}`);
  });
});
