import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectClean, expectFinding, expectNoFinding, findingsFor } from '../../helpers/findings.ts';

// The spec body starts on line 5.
const vs = (body: string): string =>
  `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
${body}`;

describe('VirtualService: valid configurations', () => {
  it('accepts a weighted canary split between subsets', () => {
    expectClean(
      vs(`  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 90
    - destination: {host: reviews, subset: v2}
      weight: 10
`),
    );
  });

  it('accepts a gateway-bound service using most HTTP features', () => {
    expectClean(
      vs(`  hosts: [shop.example.com, "*.api.example.com"]
  gateways: [istio-system/public-gateway, mesh]
  exportTo: [".", frontend]
  http:
  - name: login
    match:
    - uri: {prefix: /login}
      headers:
        x-user: {exact: alice}
        "@request.auth.claims.groups": {exact: admin}
      withoutHeaders:
        x-debug: {}
      queryParams:
        v: {regex: "^[0-9]+$"}
      method: {exact: POST}
      port: 80
      sourceNamespace: frontend
      sourceLabels: {app: web}
      gateways: [istio-system/public-gateway]
    route:
    - destination: {host: login.shop.svc.cluster.local, port: {number: 8080}}
      headers:
        request:
          set: {x-forwarded-client: "%DOWNSTREAM_REMOTE_ADDRESS%"}
        response:
          add: {x-discount: "10%%"}
          remove: [server]
    rewrite:
      uriRegexRewrite: {match: "^/login/(.*)$", rewrite: "/auth/\\\\1"}
    timeout: 5s
    retries: {attempts: 3, perTryTimeout: 2s, retryOn: "5xx,connect-failure,503", backoff: 25ms}
    fault:
      delay: {percentage: {value: 0.5}, fixedDelay: 100ms}
      abort: {percentage: {value: 0.1}, grpcStatus: UNAVAILABLE}
    corsPolicy:
      allowOrigins: [{exact: "https://shop.example.com"}, {regex: "https://.*\\\\.example\\\\.com"}]
      allowMethods: [GET, POST]
      allowHeaders: [authorization, "*"]
      maxAge: 24h
    mirror: {host: login-shadow}
    mirrorPercentage: {value: 5}
  - match: [{uri: {exact: /old}}]
    redirect: {uri: /new, redirectCode: 308, scheme: https, port: 443}
  - match: [{uri: {prefix: /health}}]
    directResponse: {status: 200, body: {string: ok}}
  - route:
    - destination: {host: web}
`),
    );
  });

  it('accepts TCP and TLS rules whose SNI hosts are covered by the hosts', () => {
    expectClean(
      vs(`  hosts: ["*.db.example.com", login.example.com]
  tcp:
  - match: [{port: 5432, sourceSubnet: 10.0.0.0/8, destinationSubnets: [192.168.0.1, "fd00::/8"]}]
    route: [{destination: {host: postgres, port: {number: 5432}}}]
  tls:
  - match: [{port: 443, sniHosts: [a.db.example.com, login.example.com]}]
    route: [{destination: {host: login}}]
`),
    );
  });

  it('accepts a root VirtualService that delegates, and the delegate (with an Info note)', () => {
    expectClean(
      vs(`  hosts: [shop.example.com]
  gateways: [public]
  http:
  - match: [{uri: {prefix: /cart}}]
    delegate: {name: cart-routes, namespace: cart}
  - route: [{destination: {host: web}}]
`),
    );
    expectFinding(vs(`  http:\n  - route: [{destination: {host: cart}}]\n`), {
      code: 'HEDDLE_VIRTUALSERVICE_DELEGATE',
      level: 'Info',
      field: 'spec',
      line: 4,
    });
  });

  it('accepts IP hosts and a "*" host bound to gateways only', () => {
    expectClean(
      vs(`  hosts: ["*"]
  gateways: [public]
  http:
  - route: [{destination: {host: web}}]
`),
    );
    expectClean(vs(`  hosts: [10.0.0.1]\n  http:\n  - route: [{destination: {host: web}}]\n`));
  });
});

describe('VirtualService: hosts, gateways and delegation', () => {
  it('rejects a VirtualService without http, tcp or tls rules', () => {
    expectFinding(vs(`  hosts: [reviews]\n`), {
      code: 'HEDDLE_VIRTUALSERVICE_NO_ROUTES',
      field: 'spec',
      line: 4,
      level: 'Error',
    });
  });

  it('rejects an invalid host name', () => {
    expectFinding(
      vs(`  hosts: [reviews, "a.*.example.com"]\n  http:\n  - route: [{destination: {host: r}}]\n`),
      {
        code: 'HEDDLE_HOST_INVALID',
        field: 'spec.hosts[1]',
        line: 5,
        message: 'wildcard',
      },
    );
  });

  it('rejects the "*" host when bound to the mesh', () => {
    expectFinding(
      vs(`  hosts: ["*"]\n  gateways: [mesh, public]\n  http:\n  - route: [{destination: {host: r}}]\n`),
      {
        code: 'HEDDLE_VIRTUALSERVICE_WILDCARD_MESH_HOST',
        field: 'spec.hosts[0]',
        line: 5,
      },
    );
  });

  it('rejects overlapping hosts, such as *.foo.bar next to *.bar', () => {
    expectFinding(
      vs(`  hosts:\n  - "*.bar"\n  - "*.foo.bar"\n  http:\n  - route: [{destination: {host: r}}]\n`),
      {
        code: 'HEDDLE_VIRTUALSERVICE_HOSTS_OVERLAP',
        field: 'spec.hosts[1]',
        line: 7,
        message: '"*.bar" already includes "*.foo.bar"',
      },
    );
    expectFinding(vs(`  hosts: [a.com, a.com]\n  http:\n  - route: [{destination: {host: r}}]\n`), {
      code: 'HEDDLE_VIRTUALSERVICE_HOSTS_OVERLAP',
      field: 'spec.hosts[1]',
      message: 'listed twice',
    });
  });

  it('rejects malformed gateway references', () => {
    const yaml = vs(`  hosts: [r]
  gateways:
  - Prod/public
  - a/b/c
  - /public
  - public_gw
  http:
  - route: [{destination: {host: r}}]
`);
    expectFinding(yaml, {
      code: 'HEDDLE_VIRTUALSERVICE_GATEWAY_REF_INVALID',
      field: 'spec.gateways[0]',
      line: 7,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_VIRTUALSERVICE_GATEWAY_REF_INVALID',
      field: 'spec.gateways[1]',
      line: 8,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_VIRTUALSERVICE_GATEWAY_REF_INVALID',
      field: 'spec.gateways[2]',
      line: 9,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_VIRTUALSERVICE_GATEWAY_REF_INVALID',
      field: 'spec.gateways[3]',
      line: 10,
    });
  });

  it('warns about the legacy name.namespace gateway form and suggests namespace/name', () => {
    expectFinding(
      vs(`  hosts: [r]\n  gateways: [public.istio-system]\n  http:\n  - route: [{destination: {host: r}}]\n`),
      {
        code: 'HEDDLE_VIRTUALSERVICE_GATEWAY_REF_LEGACY',
        level: 'Warning',
        field: 'spec.gateways[0]',
        line: 6,
        message: '"istio-system/public"',
      },
    );
  });

  it('rejects gateways, tcp and tls on a delegate VirtualService', () => {
    const yaml = vs(`  gateways: [public]
  http:
  - route: [{destination: {host: r}}]
  tcp:
  - route: [{destination: {host: r}}]
`);
    expectFinding(yaml, { code: 'HEDDLE_VIRTUALSERVICE_DELEGATE_INVALID', field: 'spec.gateways', line: 5 });
    expectFinding(yaml, { code: 'HEDDLE_VIRTUALSERVICE_DELEGATE_INVALID', field: 'spec.tcp', line: 8 });
  });

  it('rejects a delegate VirtualService that delegates again', () => {
    expectFinding(vs(`  http:\n  - delegate: {name: deeper}\n`), {
      code: 'HEDDLE_VIRTUALSERVICE_DELEGATE_INVALID',
      field: 'spec.http[0].delegate',
      line: 6,
    });
  });

  it('rejects a delegate without a name, and delegate combined with route', () => {
    const yaml = vs(`  hosts: [r]
  http:
  - delegate: {namespace: cart}
    route: [{destination: {host: r}}]
`);
    expectFinding(yaml, { code: 'HEDDLE_REQUIRED_FIELD', field: 'spec.http[0].delegate.name', line: 7 });
    expectFinding(yaml, { code: 'HEDDLE_CONFLICTING_FIELDS', field: 'spec.http[0].route', line: 8 });
  });

  it('rejects exportTo "~", which only ServiceEntry may use', () => {
    expectFinding(vs(`  hosts: [r]\n  exportTo: ["~"]\n  http:\n  - route: [{destination: {host: r}}]\n`), {
      code: 'HEDDLE_EXPORT_TO_INVALID',
      field: 'spec.exportTo[0]',
      line: 6,
    });
  });
});

describe('VirtualService: HTTP rule actions', () => {
  it('rejects a rule without route, redirect or directResponse', () => {
    expectFinding(vs(`  hosts: [r]\n  http:\n  - timeout: 5s\n`), {
      code: 'HEDDLE_VIRTUALSERVICE_ROUTE_ACTION_REQUIRED',
      field: 'spec.http[0]',
      line: 7,
    });
  });

  it('rejects route together with redirect', () => {
    expectFinding(
      vs(`  hosts: [r]\n  http:\n  - route: [{destination: {host: r}}]\n    redirect: {uri: /x}\n`),
      { code: 'HEDDLE_CONFLICTING_FIELDS', field: 'spec.http[0].redirect', line: 8 },
    );
  });

  it('rejects directResponse together with route', () => {
    expectFinding(
      vs(`  hosts: [r]\n  http:\n  - route: [{destination: {host: r}}]\n    directResponse: {status: 404}\n`),
      { code: 'HEDDLE_CONFLICTING_FIELDS', field: 'spec.http[0].directResponse', line: 8 },
    );
  });

  it('rejects fault with redirect and rewrite with directResponse', () => {
    expectFinding(
      vs(`  hosts: [r]
  http:
  - redirect: {uri: /x}
    fault: {abort: {httpStatus: 500}}
`),
      { code: 'HEDDLE_CONFLICTING_FIELDS', field: 'spec.http[0].fault', line: 8 },
    );
    expectFinding(
      vs(`  hosts: [r]
  http:
  - directResponse: {status: 404}
    rewrite: {uri: /x}
`),
      { code: 'HEDDLE_CONFLICTING_FIELDS', field: 'spec.http[0].rewrite', line: 8 },
    );
  });

  it('rejects mirror together with mirrors', () => {
    expectFinding(
      vs(`  hosts: [r]
  http:
  - route: [{destination: {host: r}}]
    mirror: {host: shadow}
    mirrors: [{destination: {host: shadow2}}]
`),
      { code: 'HEDDLE_CONFLICTING_FIELDS', field: 'spec.http[0].mirrors', line: 9 },
    );
  });
});

describe('VirtualService: matches and headers', () => {
  const withMatch = (match: string): string =>
    vs(`  hosts: [r]
  http:
  - match:
${match}    route: [{destination: {host: r}}]
`);

  it('rejects header names that are not tokens, and pseudo-headers in header matches', () => {
    const yaml = withMatch(`    - headers:
        "bad header": {exact: x}
        ":method": {exact: GET}
`);
    expectFinding(yaml, {
      code: 'HEDDLE_HEADER_NAME_INVALID',
      field: 'spec.http[0].match[0].headers["bad header"]',
      line: 9,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_HEADER_NAME_INVALID',
      field: 'spec.http[0].match[0].headers[":method"]',
      line: 10,
      message: '"method" field',
    });
  });

  it('rejects JWT claim routing on a VirtualService that is not bound to a gateway', () => {
    expectFinding(withMatch(`    - headers:\n        "@request.auth.claims.group": {exact: admin}\n`), {
      code: 'HEDDLE_VIRTUALSERVICE_JWT_CLAIM_ROUTE_NEEDS_GATEWAY',
      field: 'spec.http[0].match[0].headers["@request.auth.claims.group"]',
      line: 9,
    });
  });

  it('rejects a JWT claim key that names no claim', () => {
    expectFinding(withMatch(`    - withoutHeaders:\n        "@request.auth.claims": {exact: admin}\n`), {
      code: 'HEDDLE_VIRTUALSERVICE_JWT_CLAIM_INVALID',
      field: 'spec.http[0].match[0].withoutHeaders["@request.auth.claims"]',
      line: 9,
    });
  });

  it('rejects a header match with no value', () => {
    expectFinding(withMatch(`    - headers:\n        x-user:\n`), {
      code: 'HEDDLE_VIRTUALSERVICE_STRING_MATCH_EMPTY',
      field: 'spec.http[0].match[0].headers.x-user',
      line: 9,
    });
  });

  it('rejects an empty prefix on method, scheme, authority and query parameters, but not on uri', () => {
    const yaml = withMatch(`    - method: {prefix: ""}
      queryParams:
        v: {prefix: ""}
      uri: {prefix: ""}
`);
    expectFinding(yaml, {
      code: 'HEDDLE_VIRTUALSERVICE_STRING_MATCH_EMPTY',
      field: 'spec.http[0].match[0].method.prefix',
      line: 8,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_VIRTUALSERVICE_STRING_MATCH_EMPTY',
      field: 'spec.http[0].match[0].queryParams.v.prefix',
      line: 10,
    });
    const uriOnly = findingsFor(yaml).filter((f) => f.field?.includes('.uri'));
    assert.deepEqual(uriOnly, []);
  });

  it('rejects regexes RE2 cannot run, in any string match', () => {
    const yaml = withMatch(`    - uri: {regex: "/(?=admin)"}
      headers:
        x-id: {regex: "(a)\\\\1"}
      authority: {regex: "["}
`);
    expectFinding(yaml, {
      code: 'HEDDLE_REGEX_INVALID',
      field: 'spec.http[0].match[0].uri.regex',
      line: 8,
      message: 'look-ahead',
    });
    expectFinding(yaml, {
      code: 'HEDDLE_REGEX_INVALID',
      field: 'spec.http[0].match[0].headers.x-id.regex',
      line: 10,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_REGEX_INVALID',
      field: 'spec.http[0].match[0].authority.regex',
      line: 11,
    });
  });

  it('rejects an invalid match port, sourceNamespace, source labels and gateway', () => {
    const yaml = withMatch(`    - port: 70000
      sourceNamespace: Front_End
      sourceLabels: {app: "web*"}
      gateways: ["x/y/z"]
`);
    expectFinding(yaml, { code: 'HEDDLE_PORT_INVALID', field: 'spec.http[0].match[0].port', line: 8 });
    expectFinding(yaml, {
      code: 'HEDDLE_NAME_INVALID',
      field: 'spec.http[0].match[0].sourceNamespace',
      line: 9,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_SELECTOR_INVALID',
      field: 'spec.http[0].match[0].sourceLabels.app',
      line: 10,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_VIRTUALSERVICE_GATEWAY_REF_INVALID',
      field: 'spec.http[0].match[0].gateways[0]',
      line: 11,
    });
  });

  it('rejects header operations on pseudo-headers or Host where not allowed, and values with a lone %', () => {
    const yaml = vs(`  hosts: [r]
  http:
  - route: [{destination: {host: r}}]
    headers:
      request:
        set: {":path": /x, x-rate: "100%"}
        remove: [Host]
      response:
        set: {host: x}
`);
    expectFinding(yaml, {
      code: 'HEDDLE_HEADER_NAME_INVALID',
      field: 'spec.http[0].headers.request.set[":path"]',
      line: 10,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_HEADER_VALUE_INVALID',
      field: 'spec.http[0].headers.request.set.x-rate',
      line: 10,
      message: '"%%"',
    });
    expectFinding(yaml, {
      code: 'HEDDLE_HEADER_NAME_INVALID',
      field: 'spec.http[0].headers.request.remove[0]',
      line: 11,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_HEADER_NAME_INVALID',
      field: 'spec.http[0].headers.response.set.host',
      line: 13,
    });
  });

  it('checks header operations on route destinations too', () => {
    expectFinding(
      vs(`  hosts: [r]
  http:
  - route:
    - destination: {host: r}
      headers: {response: {add: {"bad name": x}}}
`),
      {
        code: 'HEDDLE_HEADER_NAME_INVALID',
        field: 'spec.http[0].route[0].headers.response.add["bad name"]',
        line: 9,
      },
    );
  });

  it('rejects setting the authority both by rewrite and by a Host header', () => {
    expectFinding(
      vs(`  hosts: [r]
  http:
  - route: [{destination: {host: r}}]
    rewrite: {authority: a.example.com}
    headers:
      request:
        set: {":authority": b.example.com}
`),
      {
        code: 'HEDDLE_CONFLICTING_FIELDS',
        field: 'spec.http[0].headers.request.set[":authority"]',
        line: 11,
      },
    );
  });
});

describe('VirtualService: destinations and weights', () => {
  it('rejects "*" as a destination host, an invalid subset name and port 0', () => {
    const yaml = vs(`  hosts: [r]
  http:
  - route:
    - destination:
        host: "*"
        subset: V1
        port: {number: 0}
`);
    expectFinding(yaml, {
      code: 'HEDDLE_HOST_INVALID',
      field: 'spec.http[0].route[0].destination.host',
      line: 9,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_NAME_INVALID',
      field: 'spec.http[0].route[0].destination.subset',
      line: 10,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_PORT_INVALID',
      field: 'spec.http[0].route[0].destination.port.number',
      line: 11,
    });
  });

  it('rejects negative weights', () => {
    expectFinding(
      vs(`  hosts: [r]
  http:
  - route:
    - destination: {host: r, subset: v1}
      weight: -10
    - destination: {host: r, subset: v2}
      weight: 110
`),
      { code: 'HEDDLE_VIRTUALSERVICE_WEIGHT_INVALID', field: 'spec.http[0].route[0].weight', line: 9 },
    );
  });

  it('rejects several destinations whose weights are all 0 or unset, but not weights that do not sum to 100', () => {
    const zero = vs(`  hosts: [r]
  http:
  - route:
    - destination: {host: r, subset: v1}
    - destination: {host: r, subset: v2}
`);
    expectFinding(zero, {
      code: 'HEDDLE_VIRTUALSERVICE_WEIGHTS_ALL_ZERO',
      field: 'spec.http[0].route',
      line: 7,
    });
    expectClean(
      vs(`  hosts: [r]
  http:
  - route:
    - destination: {host: r, subset: v1}
      weight: 3
    - destination: {host: r, subset: v2}
      weight: 1
`),
    );
  });

  it('checks the mirror destination and mirror percentages', () => {
    const yaml = vs(`  hosts: [r]
  http:
  - route: [{destination: {host: r}}]
    mirror: {host: "*"}
    mirrorPercentage: {value: 150}
`);
    expectFinding(yaml, { code: 'HEDDLE_HOST_INVALID', field: 'spec.http[0].mirror.host', line: 8 });
    expectFinding(yaml, {
      code: 'HEDDLE_PERCENT_INVALID',
      field: 'spec.http[0].mirrorPercentage.value',
      line: 9,
    });
    expectFinding(
      vs(`  hosts: [r]
  http:
  - route: [{destination: {host: r}}]
    mirrors:
    - destination: {host: shadow}
      percentage: {value: 101}
`),
      { code: 'HEDDLE_PERCENT_INVALID', field: 'spec.http[0].mirrors[0].percentage.value', line: 10 },
    );
  });

  it('warns that mirrorPercentage without mirror has no effect', () => {
    expectFinding(
      vs(`  hosts: [r]
  http:
  - route: [{destination: {host: r}}]
    mirrors: [{destination: {host: shadow}}]
    mirrorPercentage: {value: 10}
`),
      {
        code: 'HEDDLE_VIRTUALSERVICE_MIRROR_PERCENTAGE_IGNORED',
        level: 'Warning',
        field: 'spec.http[0].mirrorPercentage',
        line: 9,
      },
    );
  });
});

describe('VirtualService: redirect, directResponse and rewrite', () => {
  const rule = (body: string): string => vs(`  hosts: [r]\n  http:\n  - ${body}\n`);

  it('rejects a redirect that changes nothing', () => {
    expectFinding(rule('redirect: {redirectCode: 301}'), {
      code: 'HEDDLE_VIRTUALSERVICE_REDIRECT_EMPTY',
      field: 'spec.http[0].redirect',
      line: 7,
    });
  });

  it('rejects a redirect code outside 3xx and warns about 3xx codes the proxy cannot send', () => {
    expectFinding(rule('redirect: {uri: /x, redirectCode: 200}'), {
      code: 'HEDDLE_VIRTUALSERVICE_REDIRECT_CODE_INVALID',
      field: 'spec.http[0].redirect.redirectCode',
      line: 7,
    });
    expectFinding(rule('redirect: {uri: /x, redirectCode: 304}'), {
      code: 'HEDDLE_VIRTUALSERVICE_REDIRECT_CODE_UNSUPPORTED',
      level: 'Warning',
      field: 'spec.http[0].redirect.redirectCode',
    });
  });

  it('rejects a redirect scheme other than http or https, and an invalid port', () => {
    expectFinding(rule('redirect: {scheme: ftp}'), {
      code: 'HEDDLE_VIRTUALSERVICE_REDIRECT_SCHEME_INVALID',
      field: 'spec.http[0].redirect.scheme',
      line: 7,
    });
    expectFinding(rule('redirect: {port: 70000}'), {
      code: 'HEDDLE_PORT_INVALID',
      field: 'spec.http[0].redirect.port',
      line: 7,
    });
  });

  it('rejects a direct response status outside 200-599', () => {
    expectFinding(rule('directResponse: {status: 100}'), {
      code: 'HEDDLE_VIRTUALSERVICE_STATUS_INVALID',
      field: 'spec.http[0].directResponse.status',
      line: 7,
    });
  });

  it('rejects a direct response body of 1 MiB or more, and warns above 100 KiB', () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    expectFinding(rule(`directResponse: {status: 200, body: {string: ${big}}}`), {
      code: 'HEDDLE_VIRTUALSERVICE_BODY_TOO_LARGE',
      level: 'Error',
      field: 'spec.http[0].directResponse.body.string',
      line: 7,
    });
    const large = 'x'.repeat(200 * 1024);
    expectFinding(rule(`directResponse: {status: 200, body: {string: ${large}}}`), {
      code: 'HEDDLE_VIRTUALSERVICE_BODY_LARGE',
      level: 'Warning',
      field: 'spec.http[0].directResponse.body.string',
    });
  });

  it('rejects a rewrite that sets nothing, or both uri and uriRegexRewrite', () => {
    expectFinding(rule('route: [{destination: {host: r}}]\n    rewrite: {uri: ""}'), {
      code: 'HEDDLE_VIRTUALSERVICE_REWRITE_INVALID',
      field: 'spec.http[0].rewrite',
      line: 8,
      message: '"/"',
    });
    expectFinding(
      rule(
        'route: [{destination: {host: r}}]\n    rewrite: {uri: /v2, uriRegexRewrite: {match: "^/v1", rewrite: /v2}}',
      ),
      { code: 'HEDDLE_CONFLICTING_FIELDS', field: 'spec.http[0].rewrite.uriRegexRewrite', line: 8 },
    );
  });

  it('rejects a regex rewrite without both match and rewrite, or with an invalid pattern', () => {
    expectFinding(
      rule('route: [{destination: {host: r}}]\n    rewrite: {uriRegexRewrite: {match: "^/v1"}}'),
      {
        code: 'HEDDLE_VIRTUALSERVICE_REWRITE_INVALID',
        field: 'spec.http[0].rewrite.uriRegexRewrite',
        line: 8,
      },
    );
    expectFinding(
      rule(
        'route: [{destination: {host: r}}]\n    rewrite: {uriRegexRewrite: {match: "(?<=v)1", rewrite: "2"}}',
      ),
      {
        code: 'HEDDLE_REGEX_INVALID',
        field: 'spec.http[0].rewrite.uriRegexRewrite.match',
        line: 8,
      },
    );
  });
});

describe('VirtualService: fault injection, retries, timeouts and CORS', () => {
  const routed = (extra: string): string =>
    vs(`  hosts: [r]
  http:
  - route: [{destination: {host: r}}]
${extra}`);

  it('rejects a fault with neither abort nor delay', () => {
    expectFinding(routed('    fault: {}\n'), {
      code: 'HEDDLE_VIRTUALSERVICE_FAULT_EMPTY',
      field: 'spec.http[0].fault',
      line: 8,
    });
  });

  it('rejects an abort without a status, with an HTTP status outside 200-599, or an unknown gRPC status', () => {
    expectFinding(routed('    fault:\n      abort: {percentage: {value: 10}}\n'), {
      code: 'HEDDLE_VIRTUALSERVICE_FAULT_ABORT_INVALID',
      field: 'spec.http[0].fault.abort',
      line: 9,
    });
    expectFinding(routed('    fault:\n      abort: {httpStatus: 600}\n'), {
      code: 'HEDDLE_VIRTUALSERVICE_STATUS_INVALID',
      field: 'spec.http[0].fault.abort.httpStatus',
      line: 9,
    });
    expectFinding(routed('    fault:\n      abort: {grpcStatus: UNAVALABLE}\n'), {
      code: 'HEDDLE_VIRTUALSERVICE_FAULT_ABORT_INVALID',
      field: 'spec.http[0].fault.abort.grpcStatus',
      line: 9,
      message: 'UNAVAILABLE',
    });
  });

  it('rejects exponential delays and delays without fixedDelay', () => {
    expectFinding(routed('    fault:\n      delay: {exponentialDelay: 1s}\n'), {
      code: 'HEDDLE_VIRTUALSERVICE_FAULT_DELAY_INVALID',
      field: 'spec.http[0].fault.delay.exponentialDelay',
      line: 9,
    });
    expectFinding(routed('    fault:\n      delay: {percentage: {value: 5}}\n'), {
      code: 'HEDDLE_VIRTUALSERVICE_FAULT_DELAY_INVALID',
      field: 'spec.http[0].fault.delay',
      line: 9,
    });
  });

  it('rejects fault percentages above 100 and invalid fixed delays', () => {
    const yaml = routed(`    fault:
      delay:
        percentage: {value: 120}
        fixedDelay: "5"
`);
    expectFinding(yaml, {
      code: 'HEDDLE_PERCENT_INVALID',
      field: 'spec.http[0].fault.delay.percentage.value',
      line: 10,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_DURATION_INVALID',
      field: 'spec.http[0].fault.delay.fixedDelay',
      line: 11,
    });
  });

  it('rejects a retry policy with perTryTimeout but zero attempts', () => {
    expectFinding(routed('    retries: {attempts: 0, perTryTimeout: 2s}\n'), {
      code: 'HEDDLE_VIRTUALSERVICE_RETRY_DISABLED_WITH_POLICY',
      field: 'spec.http[0].retries.perTryTimeout',
      line: 8,
    });
    expectFinding(routed('    retries: {retryOn: 5xx}\n'), {
      code: 'HEDDLE_VIRTUALSERVICE_RETRY_DISABLED_WITH_POLICY',
      field: 'spec.http[0].retries.retryOn',
    });
  });

  it('rejects negative retry attempts', () => {
    expectFinding(routed('    retries: {attempts: -1}\n'), {
      code: 'HEDDLE_VIRTUALSERVICE_RETRY_ATTEMPTS_INVALID',
      field: 'spec.http[0].retries.attempts',
      line: 8,
    });
  });

  it('rejects unknown retryOn conditions, with a suggestion', () => {
    expectFinding(routed('    retries: {attempts: 2, retryOn: "5xx,conect-failure"}\n'), {
      code: 'HEDDLE_VIRTUALSERVICE_RETRY_ON_INVALID',
      field: 'spec.http[0].retries.retryOn',
      line: 8,
      message: 'connect-failure',
    });
  });

  it('rejects retry and route durations that are not whole milliseconds of at least 1 ms', () => {
    const yaml = routed('    timeout: 0s\n    retries: {attempts: 2, perTryTimeout: 1.5ms, backoff: "10"}\n');
    expectFinding(yaml, { code: 'HEDDLE_DURATION_INVALID', field: 'spec.http[0].timeout', line: 8 });
    expectFinding(yaml, {
      code: 'HEDDLE_DURATION_INVALID',
      field: 'spec.http[0].retries.perTryTimeout',
      line: 9,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_DURATION_INVALID',
      field: 'spec.http[0].retries.backoff',
      line: 9,
      message: '"10s"',
    });
  });

  it('rejects CORS origins without a value, unknown methods, bad header names and fractional maxAge', () => {
    const yaml = routed(`    corsPolicy:
      allowOrigins: [{exact: ""}, {regex: "(?!x)"}]
      allowMethods: [get]
      exposeHeaders: ["x y"]
      maxAge: 1500ms
`);
    expectFinding(yaml, {
      code: 'HEDDLE_VIRTUALSERVICE_CORS_ORIGIN_INVALID',
      field: 'spec.http[0].corsPolicy.allowOrigins[0]',
      line: 9,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_REGEX_INVALID',
      field: 'spec.http[0].corsPolicy.allowOrigins[1].regex',
      line: 9,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_VIRTUALSERVICE_CORS_METHOD_INVALID',
      field: 'spec.http[0].corsPolicy.allowMethods[0]',
      line: 10,
      message: '"GET"',
    });
    expectFinding(yaml, {
      code: 'HEDDLE_HEADER_NAME_INVALID',
      field: 'spec.http[0].corsPolicy.exposeHeaders[0]',
      line: 11,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_VIRTUALSERVICE_CORS_MAX_AGE_PRECISION',
      field: 'spec.http[0].corsPolicy.maxAge',
      line: 12,
    });
  });
});

describe('VirtualService: TCP and TLS rules', () => {
  it('rejects TCP and TLS rules without route destinations', () => {
    expectFinding(vs(`  hosts: [r]\n  tcp:\n  - match: [{port: 5432}]\n`), {
      code: 'HEDDLE_VIRTUALSERVICE_ROUTE_REQUIRED',
      field: 'spec.tcp[0]',
      line: 7,
    });
    expectFinding(vs(`  hosts: [r]\n  tls:\n  - match: [{sniHosts: [r]}]\n    route: []\n`), {
      code: 'HEDDLE_VIRTUALSERVICE_ROUTE_REQUIRED',
      field: 'spec.tls[0].route',
      line: 8,
    });
  });

  it('rejects subnets that are not IPs or CIDR blocks', () => {
    const yaml = vs(`  hosts: [r]
  tcp:
  - match: [{sourceSubnet: 10.0.0.0/33, destinationSubnets: [not-an-ip]}]
    route: [{destination: {host: r}}]
`);
    expectFinding(yaml, { code: 'HEDDLE_IP_INVALID', field: 'spec.tcp[0].match[0].sourceSubnet', line: 7 });
    expectFinding(yaml, {
      code: 'HEDDLE_IP_INVALID',
      field: 'spec.tcp[0].match[0].destinationSubnets[0]',
      line: 7,
    });
  });

  it('rejects TLS rules without matches or SNI hosts', () => {
    expectFinding(vs(`  hosts: [r]\n  tls:\n  - match: []\n    route: [{destination: {host: r}}]\n`), {
      code: 'HEDDLE_VIRTUALSERVICE_TLS_MATCH_REQUIRED',
      field: 'spec.tls[0].match',
      line: 7,
    });
    expectFinding(
      vs(`  hosts: [r]\n  tls:\n  - match: [{sniHosts: []}]\n    route: [{destination: {host: r}}]\n`),
      {
        code: 'HEDDLE_VIRTUALSERVICE_TLS_MATCH_REQUIRED',
        field: 'spec.tls[0].match[0].sniHosts',
        line: 7,
      },
    );
  });

  it('rejects SNI hosts not covered by the VirtualService hosts', () => {
    expectFinding(
      vs(`  hosts: ["*.example.com"]
  tls:
  - match:
    - sniHosts: [a.example.com, login.other.com]
    route: [{destination: {host: r}}]
`),
      {
        code: 'HEDDLE_VIRTUALSERVICE_SNI_HOST_NOT_IN_HOSTS',
        field: 'spec.tls[0].match[0].sniHosts[1]',
        line: 8,
      },
    );
  });

  it('warns about IP addresses used as SNI hosts', () => {
    expectFinding(
      vs(
        `  hosts: [r]\n  tls:\n  - match: [{sniHosts: [10.1.2.3]}]\n    route: [{destination: {host: r}}]\n`,
      ),
      {
        code: 'HEDDLE_VIRTUALSERVICE_SNI_HOST_IP',
        level: 'Warning',
        field: 'spec.tls[0].match[0].sniHosts[0]',
        line: 7,
      },
    );
  });
});

describe('VirtualService: unreachable rules and ineffective matches', () => {
  it('warns about a rule placed after a rule without matches', () => {
    expectFinding(
      vs(`  hosts: [r]
  http:
  - route: [{destination: {host: r, subset: v1}}]
  - match: [{uri: {prefix: /api}}]
    route: [{destination: {host: r, subset: v2}}]
`),
      {
        code: 'HEDDLE_VIRTUALSERVICE_UNREACHABLE_RULE',
        level: 'Warning',
        field: 'spec.http[1]',
        line: 8,
        message: 'http[0]',
      },
    );
  });

  it('warns about a rule after a catch-all "prefix: /" match', () => {
    expectFinding(
      vs(`  hosts: [r]
  http:
  - match: [{uri: {prefix: /}}]
    route: [{destination: {host: r}}]
  - match: [{uri: {prefix: /api}}]
    route: [{destination: {host: r}}]
`),
      { code: 'HEDDLE_VIRTUALSERVICE_UNREACHABLE_RULE', field: 'spec.http[1]', line: 9 },
    );
  });

  it('warns about a rule whose matches are all taken by earlier rules (duplicate or covered prefix)', () => {
    expectFinding(
      vs(`  hosts: [r]
  http:
  - name: api
    match: [{uri: {prefix: /api}}]
    route: [{destination: {host: r}}]
  - match: [{uri: {prefix: /api/v1}}, {uri: {exact: /api}}]
    route: [{destination: {host: r}}]
`),
      { code: 'HEDDLE_VIRTUALSERVICE_UNREACHABLE_RULE', field: 'spec.http[1]', line: 10, message: '"api"' },
    );
  });

  it('reports a single match covered by an earlier one as Info', () => {
    expectFinding(
      vs(`  hosts: [r]
  http:
  - match: [{uri: {prefix: /api}, headers: {x-v: {exact: "2"}}}]
    route: [{destination: {host: r}}]
  - match:
    - uri: {prefix: /api/v2}
      headers: {x-v: {exact: "2"}}
    - uri: {prefix: /web}
    route: [{destination: {host: r}}]
`),
      {
        code: 'HEDDLE_VIRTUALSERVICE_INEFFECTIVE_MATCH',
        level: 'Info',
        field: 'spec.http[1].match[0]',
        line: 10,
      },
    );
  });

  it('does not treat a case-sensitive prefix as covering a case-insensitive one', () => {
    expectNoFinding(
      vs(`  hosts: [r]
  http:
  - match: [{uri: {prefix: /api}}]
    route: [{destination: {host: r}}]
  - match: [{uri: {prefix: /api/v1}, ignoreUriCase: true}]
    route: [{destination: {host: r}}]
`),
      'HEDDLE_VIRTUALSERVICE_UNREACHABLE_RULE',
    );
  });

  it('warns about duplicate TCP rules', () => {
    expectFinding(
      vs(`  hosts: [r]
  tcp:
  - match: [{port: 5432}]
    route: [{destination: {host: a}}]
  - match: [{port: 5432}]
    route: [{destination: {host: b}}]
`),
      { code: 'HEDDLE_VIRTUALSERVICE_UNREACHABLE_RULE', field: 'spec.tcp[1]', line: 9 },
    );
  });
});
