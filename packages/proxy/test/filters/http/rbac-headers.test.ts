// HTTP RBAC rules on headers and the authority: names without case, every value of a repeated header on its
// own, values trimmed, hosts without case and with ports; over HTTP/1.1 and HTTP/2.
import assert from 'node:assert/strict';
import { connect } from 'node:http2';
import { after, before, describe, it } from 'node:test';
import { rawRequest } from '../support/raw-http.ts';
import {
  anyPermission,
  anyPrincipal,
  headerExact,
  headerPermission,
  httpRbacFilter,
  pathPrefix,
  rules,
} from '../support/rbac-config.ts';
import { startSecuredProxy, type Echo, type SecuredProxy } from '../support/secured-proxy.ts';

const HOST_RULE = {
  rule: {
    case: 'orRules' as const,
    value: {
      rules: [
        {
          rule: {
            case: 'header' as const,
            value: {
              name: ':authority',
              headerMatchSpecifier: {
                case: 'stringMatch' as const,
                value: {
                  matchPattern: { case: 'exact' as const, value: 'api.example.com' },
                  ignoreCase: true,
                },
              },
            },
          },
        },
        {
          rule: {
            case: 'header' as const,
            value: {
              name: ':authority',
              headerMatchSpecifier: {
                case: 'stringMatch' as const,
                value: {
                  matchPattern: { case: 'prefix' as const, value: 'api.example.com:' },
                  ignoreCase: true,
                },
              },
            },
          },
        },
      ],
    },
  },
};

const DENY = httpRbacFilter({
  rules: rules('DENY', {
    'deny-blocked-user': {
      permissions: [headerPermission(headerExact('X-User', 'blocked'))],
      principals: [anyPrincipal],
    },
    'deny-regex-role': {
      permissions: [
        {
          rule: {
            case: 'header',
            value: {
              name: 'x-role',
              headerMatchSpecifier: {
                case: 'stringMatch',
                value: {
                  matchPattern: { case: 'safeRegex', value: { regex: 'adm[i1]n' } },
                  ignoreCase: true,
                },
              },
            },
          },
        },
      ],
      principals: [anyPrincipal],
    },
    'deny-debug-present': {
      permissions: [
        {
          rule: {
            case: 'header',
            value: { name: 'x-debug', headerMatchSpecifier: { case: 'presentMatch', value: true } },
          },
        },
      ],
      principals: [anyPrincipal],
    },
  }),
});

const ALLOW = httpRbacFilter(
  {
    rules: rules('ALLOW', {
      'allow-api-host': { permissions: [HOST_RULE], principals: [anyPrincipal] },
      'allow-tenant-header': {
        permissions: [
          {
            rule: {
              case: 'andRules',
              value: { rules: [pathPrefix('/tenant'), headerPermission(headerExact('x-tenant', 'acme'))] },
            },
          },
        ],
        principals: [anyPrincipal],
      },
      'allow-not-get': {
        permissions: [
          {
            rule: {
              case: 'andRules',
              value: {
                rules: [
                  pathPrefix('/write'),
                  { rule: { case: 'notRule', value: headerPermission(headerExact(':method', 'GET')) } },
                ],
              },
            },
          },
        ],
        principals: [anyPrincipal],
      },
    }),
  },
  'envoy.filters.http.rbac.allow',
);

describe('HTTP RBAC header and host rules', { timeout: 30_000 }, () => {
  let proxy: SecuredProxy;

  before(async () => {
    proxy = await startSecuredProxy({ httpFilters: [DENY, ALLOW] });
  });

  after(async () => {
    await proxy.close();
  });

  const host = (h: string, lines: string[] = [], target = '/') =>
    rawRequest(proxy.port, target, lines, { host: h });

  it('matches the host without case and with a port, and nothing that merely starts with it', async () => {
    assert.equal((await host('api.example.com')).status, 200);
    assert.equal((await host('API.Example.COM')).status, 200);
    assert.equal((await host('api.example.com:8080')).status, 200);
    assert.equal((await host('api.example.com.evil.test')).status, 403);
    assert.equal((await host('evil.test')).status, 403);
  });

  it('denies when any value of a repeated header matches, whatever its position', async () => {
    assert.equal((await host('api.example.com', ['x-user: alice'])).status, 200);
    assert.equal((await host('api.example.com', ['x-user: blocked'])).status, 403);
    assert.equal((await host('api.example.com', ['x-user: alice', 'x-user: blocked'])).status, 403);
    assert.equal((await host('api.example.com', ['x-user: blocked', 'x-user: alice'])).status, 403);
  });

  it('compares header names without case and trims values', async () => {
    assert.equal((await host('api.example.com', ['X-USER:    blocked   '])).status, 403);
    assert.equal((await host('api.example.com', ['x-User:\tblocked'])).status, 403);
  });

  it('checks a comma-joined value as one value: it is not the denied value', async () => {
    // `alice,blocked` is one value; the DENY rule is exact, so this is what the upstream receives too.
    const reply = await host('api.example.com', ['x-user: alice,blocked']);
    assert.equal(reply.status, 200);
    assert.equal((JSON.parse(reply.body) as Echo).headers['x-user'], 'alice,blocked');
  });

  it('applies RE2-style regexes with ignore_case, and presence matches', async () => {
    assert.equal((await host('api.example.com', ['x-role: ADM1N'])).status, 403);
    assert.equal((await host('api.example.com', ['x-role: administrator'])).status, 200);
    assert.equal((await host('api.example.com', ['x-debug: '])).status, 403);
  });

  it('ANDs path and header permissions and honours not_rule', async () => {
    assert.equal((await host('other.test', ['x-tenant: acme'], '/tenant/1')).status, 200);
    assert.equal((await host('other.test', ['x-tenant: other'], '/tenant/1')).status, 403);
    assert.equal((await host('other.test', ['x-tenant: other', 'x-tenant: acme'], '/tenant/1')).status, 200);
    assert.equal((await host('other.test', [], '/tenant/1')).status, 403);
    assert.equal(
      (await rawRequest(proxy.port, '/write', ['content-length: 0'], { method: 'POST', host: 'other.test' }))
        .status,
      200,
    );
    assert.equal((await host('other.test', [], '/write')).status, 403);
  });

  it('applies the same rules to HTTP/2 requests', async () => {
    const session = connect(`http://127.0.0.1:${proxy.port}`);
    const ask = (headers: Record<string, string | string[]>) =>
      new Promise<number>((resolve, reject) => {
        const stream = session.request(headers);
        stream.on('response', (h) => resolve(Number(h[':status'])));
        stream.on('error', reject);
        stream.resume();
        stream.end();
      });
    try {
      assert.equal(await ask({ ':path': '/', ':authority': 'API.example.com' }), 200);
      assert.equal(
        await ask({ ':path': '/', ':authority': 'api.example.com', 'x-user': ['ok', 'blocked'] }),
        403,
      );
      assert.equal(await ask({ ':path': '/', ':authority': 'evil.test' }), 403);
    } finally {
      session.close();
    }
  });
});

describe('HTTP RBAC config checks', { timeout: 30_000 }, () => {
  for (const [what, regex] of [
    ['a lookahead', 'a(?=b)'],
    ['a backreference', '(a)\\1'],
    ['a nested quantifier', '(a+)+$'],
  ] as const) {
    it(`refuses ${what} in a regex at config time (NACK)`, async () => {
      const bad = httpRbacFilter({
        rules: rules('DENY', {
          bad: {
            permissions: [
              {
                rule: {
                  case: 'urlPath',
                  value: {
                    rule: { case: 'path', value: { matchPattern: { case: 'safeRegex', value: { regex } } } },
                  },
                },
              },
            ],
            principals: [anyPrincipal],
          },
        }),
      });
      await assert.rejects(startSecuredProxy({ httpFilters: [bad] }), /config refused: .*rbac.*regex/);
    });
  }

  it('an ALLOW filter without policies allows nothing; no rules at all enforces nothing', async () => {
    const proxy = await startSecuredProxy({
      httpFilters: [httpRbacFilter({}), httpRbacFilter({ rules: rules('ALLOW', {}) }, 'rbac.allow-nothing')],
    });
    try {
      const reply = await rawRequest(proxy.port, '/');
      assert.equal(reply.status, 403);
    } finally {
      await proxy.close();
    }
  });

  it('a LOG policy never denies', async () => {
    const proxy = await startSecuredProxy({
      httpFilters: [
        httpRbacFilter({
          rules: rules('LOG', { log: { permissions: [anyPermission], principals: [anyPrincipal] } }),
        }),
      ],
    });
    try {
      assert.equal((await rawRequest(proxy.port, '/')).status, 200);
    } finally {
      await proxy.close();
    }
  });
});
