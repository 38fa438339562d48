import { describe, it } from 'node:test';
import { expectClean, expectFinding, expectNoFinding } from '../../helpers/findings.ts';

/** An EnvoyFilter; the first line of `body` is line 5. */
function envoyFilter(body: string): string {
  return `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: patch, namespace: shop}
spec:
${body}`;
}

const LUA = `        name: envoy.filters.http.lua
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua
          default_source_code: {inline_string: "function envoy_on_request(h) end"}
`;

describe('EnvoyFilter: accepted configurations', () => {
  it('accepts a prioritised filter inserted before the router, with an Info about proxy support', () => {
    const yaml = envoyFilter(`  workloadSelector:
    labels: {app: reviews}
  priority: 10
  configPatches:
  - applyTo: HTTP_FILTER
    match:
      context: SIDECAR_INBOUND
      listener:
        portNumber: 8080
        filterChain:
          filter:
            name: envoy.filters.network.http_connection_manager
            subFilter: {name: envoy.filters.http.router}
    patch:
      operation: INSERT_BEFORE
      value:
${LUA}`);
    expectClean(yaml);
    expectFinding(yaml, {
      code: 'HEDDLE_ENVOY_FILTER_PROXY_SUPPORT',
      field: 'spec.configPatches',
      line: 8,
      level: 'Info',
      message: 'heddle proxy-config',
    });
  });

  it('accepts INSERT_FIRST, MERGE on a cluster and on a filter, and ADD of a virtual host', () => {
    expectClean(
      envoyFilter(`  configPatches:
  - applyTo: HTTP_FILTER
    patch:
      operation: INSERT_FIRST
      value:
${LUA}  - applyTo: CLUSTER
    match: {cluster: {service: reviews.shop.svc.cluster.local}}
    patch:
      operation: MERGE
      value: {connect_timeout: 2s}
  - applyTo: VIRTUAL_HOST
    match: {routeConfiguration: {portNumber: 80}}
    patch:
      operation: ADD
      value: {name: extra, domains: [extra.example.com]}
  - applyTo: NETWORK_FILTER
    match:
      listener:
        filterChain:
          filter: {name: envoy.filters.network.tcp_proxy}
    patch: {operation: MERGE, value: {name: envoy.filters.network.tcp_proxy}}
`),
    );
  });
});

describe('EnvoyFilter: selection', () => {
  it('rejects invalid selector labels and workloadSelector together with targetRefs', () => {
    const yaml = envoyFilter(`  workloadSelector:
    labels: {"app*": x}
  targetRefs: [{kind: Service, name: reviews}]
  configPatches: []
`);
    expectFinding(yaml, {
      code: 'HEDDLE_SELECTOR_INVALID',
      field: 'spec.workloadSelector.labels["app*"]',
      line: 6,
    });
    expectFinding(yaml, { code: 'HEDDLE_SELECTOR_WITH_TARGET_REF', field: 'spec.targetRefs', line: 7 });
  });
});

describe('EnvoyFilter: each patch says what and how', () => {
  it('requires applyTo', () => {
    expectFinding(envoyFilter('  configPatches:\n  - patch: {operation: MERGE, value: {}}\n'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.configPatches[0].applyTo',
      line: 6,
      message: 'HTTP_FILTER',
    });
  });

  it('requires a patch with an operation', () => {
    expectFinding(envoyFilter('  configPatches:\n  - applyTo: CLUSTER\n'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.configPatches[0].patch',
      line: 6,
    });
    expectFinding(envoyFilter('  configPatches:\n  - applyTo: CLUSTER\n    patch:\n      value: {}\n'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.configPatches[0].patch.operation',
      line: 7,
    });
  });

  it('requires a value for every operation except REMOVE', () => {
    expectFinding(
      envoyFilter('  configPatches:\n  - applyTo: CLUSTER\n    patch:\n      operation: MERGE\n'),
      {
        code: 'HEDDLE_REQUIRED_FIELD',
        field: 'spec.configPatches[0].patch.value',
        line: 7,
      },
    );
    expectNoFinding(
      envoyFilter(
        '  priority: 1\n  configPatches:\n  - applyTo: CLUSTER\n    patch:\n      operation: REMOVE\n',
      ),
      'HEDDLE_REQUIRED_FIELD',
    );
  });

  it('rejects a proxyVersion that is not an RE2 regular expression', () => {
    expectFinding(
      envoyFilter(`  configPatches:
  - applyTo: CLUSTER
    match:
      proxy: {proxyVersion: "^1\\\\.(?!2)"}
    patch: {operation: MERGE, value: {}}
`),
      { code: 'HEDDLE_REGEX_INVALID', field: 'spec.configPatches[0].match.proxy.proxyVersion', line: 8 },
    );
  });
});

describe('EnvoyFilter: matches fit the patched object', () => {
  it('rejects a match for another kind of object than applyTo patches', () => {
    expectFinding(
      envoyFilter(`  configPatches:
  - applyTo: HTTP_FILTER
    match:
      cluster: {name: outbound|80||a}
    patch: {operation: MERGE, value: {}}
`),
      { code: 'HEDDLE_ENVOY_FILTER_MATCH_MISMATCH', field: 'spec.configPatches[0].match.cluster', line: 8 },
    );
    expectFinding(
      envoyFilter(`  configPatches:
  - applyTo: CLUSTER
    match:
      routeConfiguration: {portNumber: 80}
    patch: {operation: MERGE, value: {}}
`),
      {
        code: 'HEDDLE_ENVOY_FILTER_MATCH_MISMATCH',
        field: 'spec.configPatches[0].match.routeConfiguration',
        line: 8,
      },
    );
    expectFinding(
      envoyFilter(`  configPatches:
  - applyTo: HTTP_ROUTE
    match:
      listener: {portNumber: 80}
    patch: {operation: MERGE, value: {}}
`),
      { code: 'HEDDLE_ENVOY_FILTER_MATCH_MISMATCH', field: 'spec.configPatches[0].match.listener', line: 8 },
    );
  });

  it('warns that a filter match does nothing for LISTENER and FILTER_CHAIN patches', () => {
    expectFinding(
      envoyFilter(`  configPatches:
  - applyTo: LISTENER
    match:
      listener:
        filterChain:
          filter: {name: envoy.filters.network.tcp_proxy}
    patch: {operation: MERGE, value: {}}
`),
      {
        code: 'HEDDLE_ENVOY_FILTER_MATCH_NO_EFFECT',
        field: 'spec.configPatches[0].match.listener.filterChain.filter',
        line: 10,
        level: 'Warning',
      },
    );
  });

  it('requires filter and subFilter names, and subFilter only under the HTTP connection manager', () => {
    const patch = (filter: string, applyTo = 'HTTP_FILTER') =>
      envoyFilter(`  priority: 1
  configPatches:
  - applyTo: ${applyTo}
    match:
      listener:
        filterChain:
          filter: ${filter}
    patch: {operation: REMOVE}
`);
    expectFinding(patch('{subFilter: {name: envoy.filters.http.router}}'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.configPatches[0].match.listener.filterChain.filter.name',
      line: 11,
    });
    expectFinding(patch('{name: envoy.filters.network.tcp_proxy, subFilter: {name: x}}'), {
      code: 'HEDDLE_ENVOY_FILTER_SUB_FILTER_INVALID',
      field: 'spec.configPatches[0].match.listener.filterChain.filter.subFilter',
      line: 11,
      message: 'http_connection_manager',
    });
    expectFinding(
      patch('{name: envoy.filters.network.http_connection_manager, subFilter: {name: x}}', 'NETWORK_FILTER'),
      {
        code: 'HEDDLE_ENVOY_FILTER_SUB_FILTER_INVALID',
        field: 'spec.configPatches[0].match.listener.filterChain.filter.subFilter',
        message: 'HTTP_FILTER',
      },
    );
    expectFinding(patch('{name: envoy.filters.network.http_connection_manager, subFilter: {}}'), {
      code: 'HEDDLE_REQUIRED_FIELD',
      field: 'spec.configPatches[0].match.listener.filterChain.filter.subFilter.name',
      line: 11,
    });
  });

  it('warns about deprecated filter names in matches', () => {
    expectFinding(
      envoyFilter(`  priority: 1
  configPatches:
  - applyTo: HTTP_FILTER
    match:
      listener:
        filterChain:
          filter:
            name: envoy.http_connection_manager
            subFilter: {name: envoy.router}
    patch: {operation: REMOVE}
`),
      {
        code: 'HEDDLE_DEPRECATED_VALUE',
        field: 'spec.configPatches[0].match.listener.filterChain.filter.subFilter.name',
        line: 13,
        message: 'envoy.filters.http.router',
      },
    );
  });
});

describe('EnvoyFilter: operations questioned by the analyzer (IST0151–IST0155)', () => {
  it('warns about INSERT_BEFORE and INSERT_AFTER without priority (IST0151)', () => {
    const yaml = envoyFilter(`  configPatches:
  - applyTo: HTTP_FILTER
    match:
      listener:
        filterChain:
          filter:
            name: envoy.filters.network.http_connection_manager
            subFilter: {name: envoy.filters.http.router}
    patch:
      operation: INSERT_AFTER
      value:
${LUA}`);
    expectFinding(yaml, {
      code: 'HEDDLE_ENVOY_FILTER_RELATIVE_OPERATION',
      field: 'spec.configPatches[0].patch.operation',
      line: 14,
      level: 'Warning',
      message: 'spec.priority',
    });
    expectNoFinding(
      yaml.replace('  configPatches:', '  priority: 5\n  configPatches:'),
      'HEDDLE_ENVOY_FILTER_RELATIVE_OPERATION',
    );
  });

  it('treats REPLACE and REMOVE of filters as relative operations too', () => {
    const yaml = envoyFilter(`  configPatches:
  - applyTo: NETWORK_FILTER
    match: {listener: {filterChain: {filter: {name: envoy.filters.network.tcp_proxy}}}}
    patch: {operation: REMOVE}
`);
    expectFinding(yaml, {
      code: 'HEDDLE_ENVOY_FILTER_RELATIVE_OPERATION',
      field: 'spec.configPatches[0].patch.operation',
      line: 8,
    });
  });

  it('rejects REPLACE outside HTTP_FILTER and NETWORK_FILTER (IST0152)', () => {
    expectFinding(
      envoyFilter(`  configPatches:
  - applyTo: CLUSTER
    patch:
      operation: REPLACE
      value: {name: x}
`),
      {
        code: 'HEDDLE_ENVOY_FILTER_REPLACE_MISUSED',
        field: 'spec.configPatches[0].patch.operation',
        line: 8,
        level: 'Error',
      },
    );
  });

  it('rejects ADD on ROUTE_CONFIGURATION and HTTP_ROUTE (IST0153)', () => {
    expectFinding(
      envoyFilter(`  configPatches:
  - applyTo: HTTP_ROUTE
    patch:
      operation: ADD
      value: {name: extra}
`),
      {
        code: 'HEDDLE_ENVOY_FILTER_ADD_IGNORED',
        field: 'spec.configPatches[0].patch.operation',
        line: 8,
        level: 'Error',
        message: 'INSERT_FIRST',
      },
    );
  });

  it('rejects REMOVE on ROUTE_CONFIGURATION and HTTP_ROUTE (IST0154)', () => {
    expectFinding(
      envoyFilter(
        '  configPatches:\n  - applyTo: ROUTE_CONFIGURATION\n    patch:\n      operation: REMOVE\n',
      ),
      {
        code: 'HEDDLE_ENVOY_FILTER_REMOVE_IGNORED',
        field: 'spec.configPatches[0].patch.operation',
        line: 8,
        level: 'Error',
      },
    );
  });

  it('warns about relative operations on a filter also patched for a proxyVersion (IST0155)', () => {
    const yaml = envoyFilter(`  configPatches:
  - applyTo: HTTP_FILTER
    match:
      proxy: {proxyVersion: "^1\\\\.2.*"}
      listener:
        filterChain:
          filter:
            name: envoy.filters.network.http_connection_manager
            subFilter: {name: envoy.filters.http.router}
    patch:
      operation: REPLACE
      value:
${LUA}`);
    expectFinding(yaml, {
      code: 'HEDDLE_ENVOY_FILTER_RELATIVE_WITH_PROXY_VERSION',
      field: 'spec.configPatches[0].patch.operation',
      line: 15,
      level: 'Warning',
    });
    expectNoFinding(yaml, 'HEDDLE_ENVOY_FILTER_RELATIVE_OPERATION');
  });
});

describe('EnvoyFilter: typed configs', () => {
  it('requires "@type" in every typed_config and typedConfig', () => {
    expectFinding(
      envoyFilter(`  configPatches:
  - applyTo: HTTP_FILTER
    patch:
      operation: INSERT_FIRST
      value:
        name: envoy.filters.http.lua
        typedConfig:
          inlineCode: "function envoy_on_request(h) end"
`),
      {
        code: 'HEDDLE_ENVOY_FILTER_TYPE_MISSING',
        field: 'spec.configPatches[0].patch.value.typedConfig',
        line: 11,
        level: 'Error',
      },
    );
  });

  it('requires "@type" in typed_per_filter_config entries', () => {
    expectFinding(
      envoyFilter(`  configPatches:
  - applyTo: VIRTUAL_HOST
    patch:
      operation: MERGE
      value:
        typed_per_filter_config:
          envoy.filters.http.lua: {disabled: true}
`),
      {
        code: 'HEDDLE_ENVOY_FILTER_TYPE_MISSING',
        field: 'spec.configPatches[0].patch.value.typed_per_filter_config["envoy.filters.http.lua"]',
        line: 11,
      },
    );
  });

  it('rejects malformed type URLs and Envoy v2 types', () => {
    const withType = (type: string) =>
      envoyFilter(`  configPatches:
  - applyTo: HTTP_FILTER
    patch:
      operation: INSERT_FIRST
      value:
        name: envoy.filters.http.lua
        typed_config:
          "@type": ${type}
`);
    expectFinding(withType('envoy.extensions.filters.http.lua.v3.Lua'), {
      code: 'HEDDLE_ENVOY_FILTER_TYPE_URL_INVALID',
      field: 'spec.configPatches[0].patch.value.typed_config["@type"]',
      line: 12,
    });
    expectFinding(withType('type.googleapis.com/envoy.config.filter.http.lua.v2.Lua'), {
      code: 'HEDDLE_ENVOY_FILTER_TYPE_URL_INVALID',
      line: 12,
      message: 'v3',
    });
  });

  it('warns when an added filter has no typed_config', () => {
    expectFinding(
      envoyFilter(`  configPatches:
  - applyTo: HTTP_FILTER
    patch:
      operation: INSERT_FIRST
      value:
        name: envoy.filters.http.cors
`),
      {
        code: 'HEDDLE_ENVOY_FILTER_TYPED_CONFIG_MISSING',
        field: 'spec.configPatches[0].patch.value.name',
        line: 10,
        level: 'Warning',
      },
    );
  });

  it('rejects well-known filters missing fields Envoy requires', () => {
    expectFinding(
      envoyFilter(`  configPatches:
  - applyTo: HTTP_FILTER
    patch:
      operation: INSERT_FIRST
      value:
        name: envoy.filters.http.local_ratelimit
        typed_config:
          "@type": type.googleapis.com/udpa.type.v1.TypedStruct
          type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
          value: {token_bucket: {max_tokens: 10}}
`),
      {
        code: 'HEDDLE_ENVOY_FILTER_CONFIG_INCOMPLETE',
        field: 'spec.configPatches[0].patch.value.typed_config',
        line: 11,
        message: 'stat_prefix',
      },
    );
  });
});

describe('EnvoyFilter: seed 001-45 (compressor inserted before everything)', () => {
  const seed = `# enable compression
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata:
  name: compression-filter
spec:
  configPatches:
  - applyTo: HTTP_FILTER
    match:
      context: SIDECAR_INBOUND
      listener:
        filterChain:
          filter:
            name: "envoy.filters.network.http_connection_manager"
    patch:
      operation: INSERT_BEFORE
      value:
        name: envoy.filters.http.compressor
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.http.compressor.v3.Compressor
          response_direction_config:
            common_config:
              min_content_length: 100
              content_type:
              - text/html
              - application/json
`;

  it('warns that INSERT_BEFORE without a subFilter means "first" and has no fixed order', () => {
    expectFinding(seed, {
      code: 'HEDDLE_ENVOY_FILTER_RELATIVE_OPERATION',
      field: 'spec.configPatches[0].patch.operation',
      line: 16,
      level: 'Warning',
      message: 'INSERT_FIRST',
    });
  });

  it('rejects the compressor without compressor_library, which Envoy requires', () => {
    expectFinding(seed, {
      code: 'HEDDLE_ENVOY_FILTER_CONFIG_INCOMPLETE',
      field: 'spec.configPatches[0].patch.value.typed_config',
      line: 19,
      level: 'Error',
      message: 'compressor_library',
    });
  });

  it('says how far Heddle follows EnvoyFilter patches', () => {
    expectFinding(seed, { code: 'HEDDLE_ENVOY_FILTER_PROXY_SUPPORT', level: 'Info', line: 7 });
  });
});
