// The matchers AuthorizationPolicy values turn into, checked by running them: host rules hold with a port
// and in any case but not for look-alike hosts, identity regexes escape dots, trust-domain aliases expand,
// and negated identity rules demand an identity.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StringMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/string_pb.ts';
import {
  namespaceMatcher,
  notIdentity,
  principalMatchers,
  serviceAccountMatchers,
} from '../../src/security/authz/identity-matchers.ts';
import { hostPermission, pathPermission } from '../../src/security/authz/operation-permission.ts';
import { ruleNeedsHttp, rulePolicy } from '../../src/security/authz/rule-policy.ts';

/** Envoy's StringMatcher semantics; safe_regex must match the whole value. */
function matches(matcher: StringMatcher, value: string): boolean {
  const pattern = matcher.matchPattern;
  const v = matcher.ignoreCase ? value.toLowerCase() : value;
  const lit = (s: string) => (matcher.ignoreCase ? s.toLowerCase() : s);
  switch (pattern.case) {
    case 'exact':
      return v === lit(pattern.value);
    case 'prefix':
      return v.startsWith(lit(pattern.value));
    case 'suffix':
      return v.endsWith(lit(pattern.value));
    case 'safeRegex':
      return new RegExp(`^(?:${pattern.value.regex})$`).test(value);
    case 'contains':
    case 'custom':
    case undefined:
      throw new Error(`unexpected matcher ${String(pattern.case)}`);
  }
}

function hostMatcher(host: string): StringMatcher {
  const rule = hostPermission(host).rule;
  assert.equal(rule.case, 'header');
  const spec = rule.value.headerMatchSpecifier;
  assert.equal(spec.case, 'stringMatch');
  return spec.value;
}

function pathMatcher(path: string): StringMatcher {
  const rule = pathPermission(path).rule;
  assert.equal(rule.case, 'urlPath');
  assert.equal(rule.value.rule.case, 'path');
  return rule.value.rule.value;
}

describe('authorization value matchers', () => {
  it('matches a host rule case-insensitively, with or without a port, and nothing that only looks alike', () => {
    const exact = hostMatcher('api.example.com');
    for (const ok of ['api.example.com', 'API.Example.COM', 'api.example.com:8080'])
      assert.ok(matches(exact, ok), ok);
    for (const bad of [
      'apixexample.com',
      'api.example.com.evil.io',
      'api.example.com:80x',
      'evil.api.example.com',
    ])
      assert.ok(!matches(exact, bad), bad);
    const wildcard = hostMatcher('*.example.com');
    assert.ok(matches(wildcard, 'a.EXAMPLE.com:443'));
    assert.ok(!matches(wildcard, 'example.com'));
    assert.ok(!matches(wildcard, 'a.example.com.evil.io'));
  });

  it('turns path templates into one-segment and rest-of-path patterns', () => {
    const template = pathMatcher('/users/{*}/orders/{**}');
    assert.ok(matches(template, '/users/42/orders/7/items'));
    assert.ok(!matches(template, '/users/4/2/orders/7'));
    assert.ok(matches(pathMatcher('/api/*'), '/api/v1'));
    assert.ok(matches(pathMatcher('*.json'), '/a/b.json'));
    assert.ok(matches(pathMatcher('*'), '/anything'));
  });

  it('matches namespaces on the SPIFFE namespace segment only, dots escaped', () => {
    const ns = namespaceMatcher('a.b');
    assert.ok(matches(ns, 'spiffe://cluster.local/ns/a.b/sa/web'));
    assert.ok(!matches(ns, 'spiffe://cluster.local/ns/axb/sa/web'));
    assert.ok(!matches(ns, 'spiffe://cluster.local/ns/a.b.c/sa/web'));
    assert.ok(!matches(ns, 'spiffe://evil/ns/x/sa/y/ns/a.b/sa/z'));
    assert.ok(matches(namespaceMatcher('team-*'), 'spiffe://td/ns/team-a/sa/x'));
  });

  it('expands principals and service accounts to every trust domain alias, and only for those', () => {
    const domains = ['example.org', 'old.example.org'];
    const values = principalMatchers('old.example.org/ns/shop/sa/web', domains).map(
      (m) => m.matchPattern.value,
    );
    assert.deepEqual(values, [
      'spiffe://example.org/ns/shop/sa/web',
      'spiffe://old.example.org/ns/shop/sa/web',
    ]);
    const foreign = principalMatchers('partner.io/ns/x/sa/y', domains).map((m) => m.matchPattern.value);
    assert.deepEqual(foreign, ['spiffe://partner.io/ns/x/sa/y']);
    const accounts = serviceAccountMatchers('cart', 'shop', domains).map((m) => m.matchPattern.value);
    assert.deepEqual(accounts, [
      'spiffe://example.org/ns/shop/sa/cart',
      'spiffe://old.example.org/ns/shop/sa/cart',
    ]);
  });

  it('makes a negated identity rule require an identity (stricter than Istio)', () => {
    const principal = notIdentity([]);
    assert.equal(principal.identifier.case, 'andIds');
    const [first, second] = principal.identifier.value.ids;
    assert.equal(first?.identifier.case, 'authenticated');
    assert.equal(second?.identifier.case, 'notId');
  });

  it('knows which rules need HTTP and refuses them on TCP', () => {
    const httpRule = { to: [{ operation: { ports: ['80'], methods: ['GET'] } }] };
    const tcpRule = {
      from: [{ source: { ipBlocks: ['10.0.0.0/8'] } }],
      when: [{ key: 'destination.port', values: ['80'] }],
    };
    assert.ok(ruleNeedsHttp(httpRule));
    assert.ok(ruleNeedsHttp({ when: [{ key: 'request.auth.claims[groups]', values: ['a'] }] }));
    assert.ok(!ruleNeedsHttp(tcpRule));
    assert.equal(rulePolicy(httpRule, 'shop', ['cluster.local'], 'tcp').kind, 'unusable');
    assert.equal(rulePolicy(tcpRule, 'shop', ['cluster.local'], 'tcp').kind, 'policy');
  });

  it('treats a rule with an unreadable value as unusable rather than narrower', () => {
    const result = rulePolicy(
      { from: [{ source: { ipBlocks: ['10.0.0.300'] } }] },
      'shop',
      ['cluster.local'],
      'http',
    );
    assert.equal(result.kind, 'unusable');
  });
});
