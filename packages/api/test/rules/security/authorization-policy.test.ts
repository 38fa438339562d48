import { describe, it } from 'node:test';
import { expectClean, expectFinding, expectNoFinding } from '../../helpers/findings.ts';

/** An AuthorizationPolicy whose spec body starts on line 5. */
function policy(body: string): string {
  return `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: p, namespace: shop}
spec:
${body}`;
}

describe('AuthorizationPolicy: valid policies', () => {
  it('accepts an ALLOW policy with principals, methods and paths', () => {
    expectClean(
      policy(`  selector:
    matchLabels: {app: orders}
  action: ALLOW
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/shop/sa/frontend", "cluster.local/ns/shop/*"]
    - source:
        namespaces: ["billing"]
    to:
    - operation:
        methods: ["GET", "POST"]
        paths: ["/api/*", "*.json", "/health"]
`),
    );
  });

  it('accepts a DENY policy pinned to ports', () => {
    expectClean(
      policy(`  action: DENY
  rules:
  - from:
    - source: {notNamespaces: ["shop"]}
    to:
    - operation: {methods: ["POST"], ports: ["8080"]}
`),
    );
  });

  it('accepts a CUSTOM policy with a provider and rules', () => {
    expectClean(
      policy(`  action: CUSTOM
  provider: {name: ext-authz}
  rules:
  - to:
    - operation: {paths: ["/admin/*"]}
`),
    );
  });

  it('accepts path templates with {*} and a final {**}', () => {
    expectClean(
      policy(`  rules:
  - to:
    - operation:
        paths: ["/store/{*}/items/{**}", "/v1/{*}", "/files/{**}/meta"]
`),
    );
  });

  it('accepts supported conditions with valid values', () => {
    expectClean(
      policy(`  rules:
  - when:
    - key: request.headers[x-tenant]
      values: ["acme"]
    - key: source.ip
      notValues: ["10.0.0.0/8", "2001:db8::/32", "192.168.1.7"]
    - key: destination.port
      values: ["8443"]
    - key: request.auth.claims[groups]
      values: ["admins"]
    - key: source.serviceAccount
      values: ["shop/frontend", "reporter"]
    - key: experimental.envoy.filters.network.mysql_proxy[db.table]
      values: ["[update]"]
`),
    );
  });

  it('accepts serviceAccounts on their own', () => {
    expectClean(
      policy(`  rules:
  - from:
    - source: {serviceAccounts: ["shop/frontend", "checkout"]}
`),
    );
  });

  it('reports an ALLOW policy with an empty spec as Info: it denies every request in the namespace', () => {
    expectFinding(policy('  {}\n'), {
      code: 'HEDDLE_AUTHZ_ALLOW_NOTHING',
      level: 'Info',
      field: 'spec',
      line: 4,
      message: 'all workloads in namespace "shop"',
    });
  });

  it('reports an ALLOW policy with a selector and no rules as Info naming the selected workloads', () => {
    expectFinding(policy('  selector:\n    matchLabels: {app: orders}\n'), {
      code: 'HEDDLE_AUTHZ_ALLOW_NOTHING',
      level: 'Info',
      line: 4,
      message: 'app=orders',
    });
  });

  it('treats an empty rules list like no rules', () => {
    expectFinding(policy('  rules: []\n'), {
      code: 'HEDDLE_AUTHZ_ALLOW_NOTHING',
      field: 'spec.rules',
      line: 5,
    });
  });

  it('gives no allow-nothing Info once a rule exists', () => {
    expectNoFinding(policy('  rules:\n  - {}\n'), 'HEDDLE_AUTHZ_ALLOW_NOTHING');
  });
});

describe('AuthorizationPolicy: action and provider', () => {
  it('rejects a DENY policy without rules', () => {
    expectFinding(policy('  action: DENY\n'), {
      code: 'HEDDLE_AUTHZ_RULES_REQUIRED',
      level: 'Error',
      field: 'spec.action',
      line: 5,
      message: 'rules: [{}]',
    });
  });

  it('rejects a CUSTOM policy without rules and says how to send every request to the provider', () => {
    expectFinding(policy('  action: CUSTOM\n  provider:\n    name: ext-authz\n'), {
      code: 'HEDDLE_AUTHZ_RULES_REQUIRED',
      level: 'Error',
      field: 'spec.action',
      line: 5,
      message: 'add rules saying which requests to check, or "rules: [{}]" to send every request',
    });
  });

  it('rejects a CUSTOM policy without a provider name', () => {
    expectFinding(policy('  action: CUSTOM\n  provider: {}\n  rules:\n  - {}\n'), {
      code: 'HEDDLE_AUTHZ_PROVIDER_REQUIRED',
      field: 'spec.provider.name',
      line: 6,
    });
    expectFinding(policy('  action: CUSTOM\n  rules:\n  - {}\n'), {
      code: 'HEDDLE_AUTHZ_PROVIDER_REQUIRED',
      field: 'spec.action',
      line: 5,
    });
  });

  it('rejects a provider on a policy whose action is not CUSTOM', () => {
    expectFinding(policy('  action: DENY\n  provider: {name: ext-authz}\n  rules:\n  - {}\n'), {
      code: 'HEDDLE_AUTHZ_PROVIDER_WITHOUT_CUSTOM',
      field: 'spec.provider',
      line: 6,
    });
  });

  it('rejects identity fields and identity conditions in a CUSTOM policy', () => {
    const yaml = policy(`  action: CUSTOM
  provider: {name: ext-authz}
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/shop/sa/frontend"]
    when:
    - key: request.auth.claims[iss]
      values: ["https://issuer.example.com"]
`);
    expectFinding(yaml, {
      code: 'HEDDLE_AUTHZ_CUSTOM_UNSUPPORTED_FIELD',
      field: 'spec.rules[0].from[0].source.principals',
      line: 10,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_AUTHZ_CUSTOM_UNSUPPORTED_FIELD',
      field: 'spec.rules[0].when[0].key',
      line: 12,
    });
  });

  it('warns that a DENY rule with only HTTP attributes denies all TCP traffic in scope', () => {
    expectFinding(
      policy(`  action: DENY
  rules:
  - to:
    - operation: {methods: ["DELETE"]}
`),
      { code: 'HEDDLE_AUTHZ_DENY_HTTP_ONLY', level: 'Warning', field: 'spec.rules[0]', line: 7 },
    );
    expectFinding(
      policy(`  action: DENY
  rules:
  - from:
    - source: {requestPrincipals: ["*"]}
`),
      { code: 'HEDDLE_AUTHZ_DENY_HTTP_ONLY', field: 'spec.rules[0]', line: 7 },
    );
  });

  it('does not warn about a DENY rule that matches on TCP attributes', () => {
    expectNoFinding(
      policy(`  action: DENY
  rules:
  - from:
    - source: {ipBlocks: ["203.0.113.0/24"]}
`),
      'HEDDLE_AUTHZ_DENY_HTTP_ONLY',
    );
  });
});

describe('AuthorizationPolicy: sources and operations', () => {
  it('rejects empty from and to lists', () => {
    const yaml = policy('  rules:\n  - from: []\n    to: []\n');
    expectFinding(yaml, { code: 'HEDDLE_AUTHZ_EMPTY_MATCH', field: 'spec.rules[0].from', line: 6 });
    expectFinding(yaml, { code: 'HEDDLE_AUTHZ_EMPTY_MATCH', field: 'spec.rules[0].to', line: 7 });
  });

  it('rejects entries without a source or operation, and empty ones', () => {
    const yaml = policy(`  rules:
  - from:
    - {}
    - source: {}
    to:
    - {}
    - operation: {}
`);
    expectFinding(yaml, { code: 'HEDDLE_AUTHZ_EMPTY_MATCH', field: 'spec.rules[0].from[0]', line: 7 });
    expectFinding(yaml, { code: 'HEDDLE_AUTHZ_EMPTY_MATCH', field: 'spec.rules[0].from[1].source', line: 8 });
    expectFinding(yaml, { code: 'HEDDLE_AUTHZ_EMPTY_MATCH', field: 'spec.rules[0].to[0]', line: 10 });
    expectFinding(yaml, {
      code: 'HEDDLE_AUTHZ_EMPTY_MATCH',
      field: 'spec.rules[0].to[1].operation',
      line: 11,
    });
  });

  it('rejects empty strings among match values', () => {
    expectFinding(
      policy(`  rules:
  - to:
    - operation:
        methods:
        - GET
        - ""
`),
      { code: 'HEDDLE_AUTHZ_EMPTY_VALUE', field: 'spec.rules[0].to[0].operation.methods[1]', line: 10 },
    );
  });

  it('rejects serviceAccounts combined with principals or namespaces', () => {
    expectFinding(
      policy(`  rules:
  - from:
    - source:
        namespaces: ["shop"]
        serviceAccounts: ["shop/frontend"]
`),
      {
        code: 'HEDDLE_CONFLICTING_FIELDS',
        field: 'spec.rules[0].from[0].source.serviceAccounts',
        line: 9,
        message: 'separate "from" entries',
      },
    );
  });

  it('rejects malformed service accounts', () => {
    const yaml = policy(`  rules:
  - from:
    - source:
        serviceAccounts:
        - cluster.local/ns/shop/sa/frontend
        - "shop/*"
`);
    expectFinding(yaml, {
      code: 'HEDDLE_AUTHZ_SERVICE_ACCOUNT_INVALID',
      field: 'spec.rules[0].from[0].source.serviceAccounts[0]',
      line: 9,
      message: 'principals',
    });
    expectFinding(yaml, {
      code: 'HEDDLE_AUTHZ_SERVICE_ACCOUNT_INVALID',
      field: 'spec.rules[0].from[0].source.serviceAccounts[1]',
      line: 10,
      message: 'wildcard',
    });
  });

  it('rejects IP blocks that are not IPs or CIDRs', () => {
    const yaml = policy(`  rules:
  - from:
    - source:
        ipBlocks: ["10.0.0.0/33"]
        notRemoteIpBlocks: ["gateway.local"]
`);
    expectFinding(yaml, {
      code: 'HEDDLE_IP_INVALID',
      field: 'spec.rules[0].from[0].source.ipBlocks[0]',
      line: 8,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_IP_INVALID',
      field: 'spec.rules[0].from[0].source.notRemoteIpBlocks[0]',
      line: 9,
    });
  });

  it('rejects ports outside 1..65535', () => {
    const yaml = policy(`  rules:
  - to:
    - operation:
        ports: ["0"]
        notPorts: ["65536", "http"]
`);
    expectFinding(yaml, {
      code: 'HEDDLE_PORT_INVALID',
      field: 'spec.rules[0].to[0].operation.ports[0]',
      line: 8,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_PORT_INVALID',
      field: 'spec.rules[0].to[0].operation.notPorts[1]',
      line: 9,
    });
  });

  it('rejects ports written as numbers, asking to quote them', () => {
    expectFinding(policy('  rules:\n  - to:\n    - operation:\n        ports: [8080]\n'), {
      code: 'HEDDLE_SCHEMA_TYPE',
      field: 'spec.rules[0].to[0].operation.ports[0]',
      line: 8,
      message: 'quote it',
    });
  });

  it('rejects path templates Envoy cannot compile', () => {
    const yaml = policy(`  rules:
  - to:
    - operation:
        paths:
        - "/a/{**}/b/{*}"
        - "/users/{id}"
        - "/files/{*}.txt"
        - "/a/*/{*}"
`);
    const field = (i: number) => `spec.rules[0].to[0].operation.paths[${i}]`;
    expectFinding(yaml, {
      code: 'HEDDLE_AUTHZ_PATH_TEMPLATE_INVALID',
      field: field(0),
      line: 9,
      message: 'last',
    });
    expectFinding(yaml, { code: 'HEDDLE_AUTHZ_PATH_TEMPLATE_INVALID', field: field(1), line: 10 });
    expectFinding(yaml, { code: 'HEDDLE_AUTHZ_PATH_TEMPLATE_INVALID', field: field(2), line: 11 });
    expectFinding(yaml, {
      code: 'HEDDLE_AUTHZ_PATH_TEMPLATE_INVALID',
      field: field(3),
      line: 12,
      message: '{*}',
    });
  });

  it('warns about paths that never match and wildcards that are matched literally', () => {
    const yaml = policy(`  rules:
  - to:
    - operation:
        paths: ["api/v1", "/api/*/items"]
        methods: ["get"]
`);
    expectFinding(yaml, {
      code: 'HEDDLE_AUTHZ_PATH_NOT_ABSOLUTE',
      level: 'Warning',
      field: 'spec.rules[0].to[0].operation.paths[0]',
      line: 8,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_AUTHZ_WILDCARD_MISPLACED',
      level: 'Warning',
      field: 'spec.rules[0].to[0].operation.paths[1]',
      line: 8,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_AUTHZ_METHOD_NOT_UPPERCASE',
      level: 'Warning',
      field: 'spec.rules[0].to[0].operation.methods[0]',
      line: 9,
      message: '"GET"',
    });
  });

  it('rejects principals written with spiffe://', () => {
    expectFinding(
      policy(`  rules:
  - from:
    - source:
        principals: ["spiffe://cluster.local/ns/shop/sa/frontend"]
`),
      {
        code: 'HEDDLE_PRINCIPAL_INVALID',
        level: 'Error',
        field: 'spec.rules[0].from[0].source.principals[0]',
        line: 8,
        message: '"cluster.local/ns/shop/sa/frontend"',
      },
    );
  });

  it('warns about a principal that is a bare service account name', () => {
    expectFinding(policy('  rules:\n  - from:\n    - source:\n        notPrincipals: ["frontend"]\n'), {
      code: 'HEDDLE_PRINCIPAL_INVALID',
      level: 'Warning',
      field: 'spec.rules[0].from[0].source.notPrincipals[0]',
      line: 8,
    });
  });
});

describe('AuthorizationPolicy: conditions', () => {
  it('rejects a condition with an empty key', () => {
    expectFinding(policy('  rules:\n  - when:\n    - key: ""\n      values: ["x"]\n'), {
      code: 'HEDDLE_AUTHZ_CONDITION_KEY_INVALID',
      field: 'spec.rules[0].when[0].key',
      line: 7,
    });
  });

  it('rejects unknown condition keys with a suggestion', () => {
    expectFinding(policy('  rules:\n  - when:\n    - key: request.header[x-tenant]\n      values: ["x"]\n'), {
      code: 'HEDDLE_AUTHZ_CONDITION_KEY_INVALID',
      field: 'spec.rules[0].when[0].key',
      line: 7,
      message: 'request.headers',
    });
  });

  it('rejects map keys without a name in brackets', () => {
    expectFinding(policy('  rules:\n  - when:\n    - key: request.auth.claims[]\n      values: ["x"]\n'), {
      code: 'HEDDLE_AUTHZ_CONDITION_KEY_INVALID',
      line: 7,
      message: 'request.auth.claims[x-user]',
    });
  });

  it('explains keys that Istio replaced with other fields', () => {
    expectFinding(policy('  rules:\n  - when:\n    - key: destination.labels[app]\n      values: ["x"]\n'), {
      code: 'HEDDLE_AUTHZ_CONDITION_KEY_INVALID',
      line: 7,
      message: 'selector.matchLabels',
    });
  });

  it('rejects a condition without values or notValues', () => {
    expectFinding(policy('  rules:\n  - when:\n    - key: source.namespace\n'), {
      code: 'HEDDLE_AUTHZ_CONDITION_VALUES_REQUIRED',
      field: 'spec.rules[0].when[0]',
      line: 7,
    });
  });

  it('checks condition values by key: IPs, ports, principals', () => {
    const yaml = policy(`  rules:
  - when:
    - key: remote.ip
      values: ["300.1.1.1"]
    - key: destination.port
      notValues: ["https"]
    - key: source.principal
      values: ["spiffe://cluster.local/ns/a/sa/b"]
`);
    expectFinding(yaml, { code: 'HEDDLE_IP_INVALID', field: 'spec.rules[0].when[0].values[0]', line: 8 });
    expectFinding(yaml, {
      code: 'HEDDLE_PORT_INVALID',
      field: 'spec.rules[0].when[1].notValues[0]',
      line: 10,
    });
    expectFinding(yaml, {
      code: 'HEDDLE_PRINCIPAL_INVALID',
      field: 'spec.rules[0].when[2].values[0]',
      line: 12,
    });
  });
});
