// `heddle x authz check`: the policies in force on a proxy, read from what a running control plane sent it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyYaml } from '@heddle/control-plane';
import { connectSidecar } from './helpers/connected-proxy.ts';
import { startTestControlPlane } from './helpers/control-plane.ts';
import { runCli } from './helpers/run-cli.ts';

// The connected test sidecar is `orders.shop` at 10.1.2.3 with label app=orders.
const MESH = `apiVersion: v1
kind: Service
metadata: {name: orders, namespace: shop}
spec:
  selector: {app: orders}
  ports: [{name: http, port: 8080}, {name: tcp-db, port: 5432}]
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: orders, namespace: shop}
spec: {address: 10.1.2.3, labels: {app: orders}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow-web, namespace: shop}
spec:
  selector: {matchLabels: {app: orders}}
  rules:
    - from: [{source: {principals: [cluster.local/ns/shop/sa/web]}}]
      to: [{operation: {methods: [GET, POST], paths: [/api/*]}}]
    - from: [{source: {namespaces: [billing]}}]
      to: [{operation: {ports: ["5432"]}}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-admin, namespace: shop}
spec:
  action: DENY
  rules:
    - to: [{operation: {paths: [/admin*]}}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: try-deny-debug
  namespace: shop
  annotations: {istio.io/dry-run: "true"}
spec:
  action: DENY
  rules:
    - when: [{key: "request.headers[x-debug]", values: ["1"]}]
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: shop}
spec:
  jwtRules:
    - issuer: https://issuer.example.com
      audiences: [orders]
      jwks: '{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}'
`;

function rows(table: string): string[][] {
  return table
    .trimEnd()
    .split('\n')
    .map((line) => line.split(/ {2,}/));
}

describe('heddle x authz check', { timeout: 120_000 }, () => {
  it('prints each policy with its action, rules and ports, the rules in words, and the JWT issuers', async (t) => {
    const { plane, url } = await startTestControlPlane(t);
    const applied = await applyYaml(plane.store, [{ name: 'mesh.yaml', text: MESH }]);
    assert.equal(applied.code, undefined, JSON.stringify(applied.findings));
    await connectSidecar(t, plane, 'orders', 'shop', { clusters: [], routes: [] });

    const result = await runCli(['x', 'authz', 'check', 'orders.shop', '--control-plane', url]);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    const [table = '', details = '', jwt = ''] = result.stdout.split('\n\n');
    assert.deepEqual(rows(table), [
      ['ACTION', 'POLICY NAME', 'RULES', 'PORTS'],
      ['DENY', 'deny-admin.shop', '1', '5432,8080'],
      // On the TCP port the HTTP-only condition cannot be checked, so the (shadow) DENY rule matches all.
      ['DENY (dry-run)', 'try-deny-debug.shop', '1', '5432,8080'],
      ['ALLOW', 'allow-web.shop', '2', '5432,8080'],
    ]);
    assert.deepEqual(details.trimEnd().split('\n'), [
      'Rules:',
      // On the TCP port a DENY rule with HTTP-only fields cannot be checked, so it matches everything.
      '  DENY deny-admin.shop rule 0 (port 5432): everything',
      '  DENY deny-admin.shop rule 0 (port 8080): to: path "/admin*"',
      '  DENY (dry-run) try-deny-debug.shop rule 0 (port 5432): everything',
      '  DENY (dry-run) try-deny-debug.shop rule 0 (port 8080): to: x-debug "1"',
      '  ALLOW allow-web.shop rule 0: from: principal "spiffe://cluster.local/ns/shop/sa/web"; to: (:method "GET" or :method "POST") and path "/api/*"',
      '  ALLOW allow-web.shop rule 1: from: principal ~/spiffe://[^/]+/ns/billing/sa/[^/]+/; to: port 5432',
    ]);
    assert.deepEqual(rows(jwt).slice(1), [
      ['ISSUER', 'AUDIENCES', 'PORTS'],
      ['https://issuer.example.com', 'orders', '8080'],
    ]);

    const json = await runCli(['x', 'authz', 'check', 'orders.shop', '-o', 'json', '--control-plane', url]);
    assert.equal(json.code, 0);
    const view = JSON.parse(json.stdout) as { policies: { policy: string; action: string }[] };
    assert.deepEqual(
      view.policies.map((p) => `${p.action} ${p.policy}`),
      ['DENY deny-admin.shop', 'DENY try-deny-debug.shop', 'ALLOW allow-web.shop'],
    );
  });

  it('names a proxy that is not connected and exits 1', async (t) => {
    const { url } = await startTestControlPlane(t);
    const result = await runCli(['x', 'authz', 'check', 'ghost.shop', '--control-plane', url]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no proxy "ghost\.shop" is connected/);
  });
});
