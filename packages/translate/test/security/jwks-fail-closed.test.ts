// A JWT provider whose key set is missing or malformed gets a key set no token satisfies and a warning;
// a fetched key set is inlined as fetched.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sidecarNode, snapshotFromYaml } from '@heddle/testkit';
import { translateProxy, type MeshSnapshot } from '@heddle/translate';
import { unpackAnyAs } from '@heddle/xds';
import { JwtAuthenticationSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/jwt_authn/v3/config_pb.ts';
import { HttpConnectionManagerSchema } from '@heddle/xds';
import { UNRESOLVABLE_JWKS } from '../../src/security/jwt/unresolvable-jwks.ts';

const YAML = `
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: shop}
spec:
  jwtRules:
    - issuer: https://issuer.example.com
      jwksUri: https://issuer.example.com/keys
---
apiVersion: v1
kind: Service
metadata: {name: orders, namespace: shop}
spec:
  selector: {app: orders}
  ports: [{name: http, port: 8080}]
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: orders-1, namespace: shop}
spec: {address: 10.0.3.5, labels: {app: orders}}
`;

function inlinedJwks(snapshot: MeshSnapshot): { jwks: string[]; warnings: string[] } {
  const node = sidecarNode({
    name: 'orders-1',
    namespace: 'shop',
    labels: { app: 'orders' },
    ip: '10.0.3.5',
  });
  const output = translateProxy(snapshot, node);
  const jwks: string[] = [];
  for (const listener of output.listeners) {
    for (const chain of listener.filterChains) {
      for (const filter of chain.filters) {
        if (filter.configType.case !== 'typedConfig') continue;
        const hcm = unpackAnyAs(filter.configType.value, HttpConnectionManagerSchema);
        for (const http of hcm?.httpFilters ?? []) {
          if (http.configType.case !== 'typedConfig') continue;
          const jwt = unpackAnyAs(http.configType.value, JwtAuthenticationSchema);
          for (const provider of Object.values(jwt?.providers ?? {})) {
            const source = provider.jwksSourceSpecifier;
            if (source.case === 'localJwks' && source.value.specifier.case === 'inlineString')
              jwks.push(source.value.specifier.value);
          }
        }
      }
    }
  }
  return { jwks, warnings: output.warnings.map((w) => w.code) };
}

describe('JWKS in JWT providers', () => {
  const base = snapshotFromYaml(YAML);

  it('fails closed with a warning when the key set was not fetched', () => {
    const { jwks, warnings } = inlinedJwks(base);
    assert.ok(jwks.length > 0);
    assert.ok(jwks.every((j) => j === UNRESOLVABLE_JWKS));
    assert.deepEqual(warnings, ['HEDDLE_TRANSLATE_JWKS_UNAVAILABLE']);
  });

  it('fails closed when the fetched document is not a key set', () => {
    const { jwks, warnings } = inlinedJwks({
      ...base,
      jwks: new Map([['https://issuer.example.com/keys', '{"nope":1}']]),
    });
    assert.ok(jwks.every((j) => j === UNRESOLVABLE_JWKS));
    assert.deepEqual(warnings, ['HEDDLE_TRANSLATE_JWKS_UNAVAILABLE']);
  });

  it('inlines the fetched key set', () => {
    const set = '{"keys":[{"kty":"oct","kid":"k","k":"AAAA"}]}';
    const { jwks, warnings } = inlinedJwks({
      ...base,
      jwks: new Map([['https://issuer.example.com/keys', set]]),
    });
    assert.ok(jwks.length > 0 && jwks.every((j) => j === set));
    assert.deepEqual(warnings, []);
  });

  it('uses a key set that no private key in existence matches', () => {
    const parsed = JSON.parse(UNRESOLVABLE_JWKS) as { keys: { kty: string; n: string }[] };
    assert.equal(parsed.keys.length, 1);
    assert.equal(parsed.keys[0]?.kty, 'RSA');
    assert.ok((parsed.keys[0]?.n.length ?? 0) > 300);
  });
});
