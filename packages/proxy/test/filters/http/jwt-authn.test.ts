// jwt_authn over a real proxy with keys generated here: valid tokens pass (claims to headers, principal to
// RBAC), invalid ones answer 401 whatever the flaw; a missing token passes unless RBAC requires a principal.
import assert from 'node:assert/strict';
import { createHmac, createPublicKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { HTTP_FILTERS, packAny } from '@heddle/xds';
import { JwtAuthenticationSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/jwt_authn/v3/config_pb.ts';
import { rawRequest } from '../support/raw-http.ts';
import { anyPrincipal, httpRbacFilter, pathPrefix, rules } from '../support/rbac-config.ts';
import { httpFilter, startSecuredProxy, type Echo, type SecuredProxy } from '../support/secured-proxy.ts';

const ISSUER = 'https://issuer.test';
const ISSUER2 = 'https://second.test';

interface Keys {
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
  readonly publicPem: string;
}

async function makeKeys(kid: string): Promise<Keys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const publicPem = createPublicKey({ key: jwk, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
  return { privateKey, jwk, publicPem };
}

function jwtConfig(keys: Keys, keys2: Keys, extra: Record<string, unknown> = {}) {
  const jwks = (k: Keys) => ({
    specifier: { case: 'inlineString' as const, value: JSON.stringify({ keys: [k.jwk] }) },
  });
  return httpFilter(
    HTTP_FILTERS.JWT_AUTHN,
    packAny(JwtAuthenticationSchema, {
      providers: {
        'origins-0': {
          issuer: ISSUER,
          audiences: ['api'],
          jwksSourceSpecifier: { case: 'localJwks', value: jwks(keys) },
          payloadInMetadata: ISSUER,
          forwardPayloadHeader: 'x-jwt-payload',
          claimToHeaders: [{ headerName: 'x-jwt-sub', claimName: 'sub' }],
        },
        'origins-1': {
          issuer: ISSUER2,
          jwksSourceSpecifier: { case: 'localJwks', value: jwks(keys2) },
          forward: true,
        },
      },
      rules: [
        {
          match: { pathSpecifier: { case: 'prefix', value: '/' } },
          requirementType: {
            case: 'requires',
            value: {
              requiresType: {
                case: 'requiresAny',
                value: {
                  requirements: [
                    { requiresType: { case: 'providerName', value: 'origins-0' } },
                    { requiresType: { case: 'providerName', value: 'origins-1' } },
                    { requiresType: { case: 'allowMissing', value: {} } },
                  ],
                },
              },
            },
          },
        },
      ],
      ...extra,
    }),
  );
}

const metadataPrincipal = (regexOrExact: { exact: string } | { regex: string }) => ({
  identifier: {
    case: 'metadata' as const,
    value: {
      filter: 'istio_authn',
      path: [{ segment: { case: 'key' as const, value: 'request.auth.principal' } }],
      value: {
        matchPattern: {
          case: 'stringMatch' as const,
          value: {
            matchPattern:
              'exact' in regexOrExact
                ? { case: 'exact' as const, value: regexOrExact.exact }
                : { case: 'safeRegex' as const, value: { regex: regexOrExact.regex } },
          },
        },
      },
    },
  },
});

/** What Istio makes of `requestPrincipals: ["*"]` on /secure and of a principal-specific rule on /alice. */
const RBAC = httpRbacFilter({
  rules: rules('ALLOW', {
    'open-paths': { permissions: [pathPrefix('/open')], principals: [anyPrincipal] },
    'secure-needs-principal': {
      permissions: [pathPrefix('/secure')],
      principals: [metadataPrincipal({ regex: '.+' })],
    },
    'alice-only': {
      permissions: [pathPrefix('/alice')],
      principals: [metadataPrincipal({ exact: `${ISSUER}/alice` })],
    },
  }),
});

describe('jwt_authn', { timeout: 30_000 }, () => {
  let keys: Keys;
  let keys2: Keys;
  let stranger: Keys;
  let proxy: SecuredProxy;
  const now = () => Math.floor(Date.now() / 1000);

  const sign = (
    k: Keys,
    claims: Record<string, unknown> = {},
    header: Record<string, unknown> = {},
  ): Promise<string> =>
    new SignJWT({ iss: ISSUER, sub: 'alice', aud: 'api', exp: now() + 600, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: k.jwk.kid, ...header })
      .sign(k.privateKey);

  const call = (target: string, token?: string, lines: string[] = []) =>
    rawRequest(proxy.port, target, [
      ...(token !== undefined ? [`authorization: Bearer ${token}`] : []),
      ...lines,
    ]);

  before(async () => {
    keys = await makeKeys('key-1');
    keys2 = await makeKeys('key-2');
    stranger = await makeKeys('key-1');
    proxy = await startSecuredProxy({ httpFilters: [jwtConfig(keys, keys2), RBAC] });
  });

  after(async () => {
    await proxy.close();
  });

  it('passes a valid token, sets claim and payload headers and drops the token (forward: false)', async () => {
    const token = await sign(keys);
    const reply = await call('/open/x', token);
    assert.equal(reply.status, 200, reply.body);
    const echo = JSON.parse(reply.body) as Echo;
    assert.equal(echo.headers['x-jwt-sub'], 'alice');
    assert.equal(echo.headers['authorization'], undefined);
    const payload = JSON.parse(
      Buffer.from(String(echo.headers['x-jwt-payload']), 'base64url').toString(),
    ) as { sub: string };
    assert.equal(payload.sub, 'alice');
  });

  it('passes the same token again (from the verified-token cache)', async () => {
    const token = await sign(keys);
    assert.equal((await call('/open/1', token)).status, 200);
    assert.equal((await call('/open/2', token)).status, 200);
  });

  it('accepts a token of the second provider, and keeps it when that provider forwards', async () => {
    const token = await sign(keys2, { iss: ISSUER2, aud: 'anything' });
    const reply = await call('/open/x', token);
    assert.equal(reply.status, 200, reply.body);
    assert.equal((JSON.parse(reply.body) as Echo).headers['authorization'], `Bearer ${token}`);
  });

  it('reads the token from the access_token query parameter', async () => {
    const token = await sign(keys);
    assert.equal((await call(`/secure?access_token=${token}`)).status, 200);
  });

  it('writes request.auth.principal for RBAC: <iss>/<sub>', async () => {
    assert.equal((await call('/alice', await sign(keys))).status, 200);
    assert.equal((await call('/alice', await sign(keys, { sub: 'bob' }))).status, 403);
  });

  it('lets a request without a token through, unless RBAC requires a principal', async () => {
    assert.equal((await call('/open')).status, 200);
    const secure = await call('/secure');
    assert.equal(secure.status, 403);
    assert.equal(secure.body, 'RBAC: access denied');
    assert.equal((await call('/secure', await sign(keys))).status, 200);
  });

  it('never forwards claim headers a client made up', async () => {
    const reply = await call('/open', undefined, ['x-jwt-sub: admin', 'x-jwt-payload: e30']);
    assert.equal(reply.status, 200);
    const echo = JSON.parse(reply.body) as Echo;
    assert.equal(echo.headers['x-jwt-sub'], undefined);
    assert.equal(echo.headers['x-jwt-payload'], undefined);
  });

  const invalid: [string, () => string | Promise<string>, RegExp][] = [
    ['expired beyond the 60 s skew', () => sign(keys, { exp: now() - 120 }), /^Jwt is expired$/],
    ['not yet valid beyond the skew', () => sign(keys, { nbf: now() + 300 }), /^Jwt not yet valid$/],
    ['for another audience', () => sign(keys, { aud: 'other' }), /^Audiences in Jwt are not allowed$/],
    [
      'from an issuer no provider names',
      () => sign(keys, { iss: 'https://evil.test' }),
      /^Jwt issuer is not configured$/,
    ],
    ['signed by a key with an unknown kid', () => sign(stranger, {}, { kid: 'unknown' }), /kid/],
    ['signed by another key under a known kid', () => sign(stranger), /^Jwt verification fails$/],
    [
      'with alg none',
      () => {
        const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ iss: ISSUER, sub: 'alice', aud: 'api', exp: now() + 600 })}.`;
      },
      /Jwt/,
    ],
    [
      'HS256-signed with the RSA public key as secret',
      () => {
        const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const head = `${enc({ alg: 'HS256', typ: 'JWT', kid: 'key-1' })}.${enc({ iss: ISSUER, sub: 'alice', aud: 'api', exp: now() + 600 })}`;
        const mac = createHmac('sha256', keys.publicPem).update(head).digest('base64url');
        return `${head}.${mac}`;
      },
      /^Jwt algorithm is not allowed$/,
    ],
    ['garbage', () => 'not-a-token', /Header\.Payload\.Signature/],
    ['three garbage segments', () => 'a.b.c', /Jwt/],
    ['huge', () => `${'a'.repeat(20_000)}.b.c`, /^Jwt is too large$/],
  ];
  for (const [what, make, body] of invalid) {
    it(`answers 401 to a token ${what}`, async () => {
      const reply = await call('/open', await make());
      assert.equal(reply.status, 401, reply.body);
      assert.match(reply.body, body);
      assert.equal(
        reply.headers['www-authenticate'],
        'Bearer realm="http://example.com/open", error="invalid_token"',
      );
    });
  }

  it('accepts tokens expired or not yet valid within the 60 s skew', async () => {
    assert.equal((await call('/open', await sign(keys, { exp: now() - 20 }))).status, 200);
    assert.equal((await call('/open', await sign(keys, { nbf: now() + 20 }))).status, 200);
  });

  it('checks every Authorization value: a bad one next to a good one fails', async () => {
    const good = await sign(keys);
    const reply = await rawRequest(proxy.port, '/open', [
      `authorization: Bearer ${good}`,
      'authorization: Bearer x.y.z',
    ]);
    assert.equal(reply.status, 401);
  });

  it('counts allowed and denied requests', async () => {
    assert.ok((await proxy.stat('http.inbound_0.0.0.0_8080.jwt_authn.denied')) >= invalid.length);
    assert.ok((await proxy.stat('http.inbound_0.0.0.0_8080.jwt_authn.allowed')) >= 5);
  });
});

describe('jwt_authn config checks', { timeout: 30_000 }, () => {
  it('refuses remote_jwks: the control plane must inline keys', async () => {
    const filter = httpFilter(
      HTTP_FILTERS.JWT_AUTHN,
      packAny(JwtAuthenticationSchema, {
        providers: {
          remote: {
            issuer: ISSUER,
            jwksSourceSpecifier: {
              case: 'remoteJwks',
              value: {
                httpUri: {
                  uri: 'https://issuer.test/jwks',
                  httpUpstreamType: { case: 'cluster', value: 'x' },
                },
              },
            },
          },
        },
      }),
    );
    await assert.rejects(
      startSecuredProxy({ httpFilters: [filter] }),
      /config refused: .*remote_jwks is not supported/,
    );
  });

  it('refuses a symmetric key in local_jwks', async () => {
    const filter = httpFilter(
      HTTP_FILTERS.JWT_AUTHN,
      packAny(JwtAuthenticationSchema, {
        providers: {
          hs: {
            issuer: ISSUER,
            jwksSourceSpecifier: {
              case: 'localJwks',
              value: {
                specifier: {
                  case: 'inlineString',
                  value: JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }),
                },
              },
            },
          },
        },
      }),
    );
    await assert.rejects(startSecuredProxy({ httpFilters: [filter] }), /config refused: .*symmetric/);
  });

  it('without a rule for the path, nothing is verified', async () => {
    const keys = await makeKeys('k');
    const proxy = await startSecuredProxy({ httpFilters: [jwtConfig(keys, keys, { rules: [] })] });
    try {
      assert.equal((await rawRequest(proxy.port, '/', ['authorization: Bearer garbage'])).status, 200);
    } finally {
      await proxy.close();
    }
  });
});
