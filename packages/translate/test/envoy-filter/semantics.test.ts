// EnvoyFilter semantics beyond the golden cases: skipped patches change nothing, patching never leaks into
// other proxies or later translations, Istio's ordering, context and proxy matches, and proto MERGE.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create } from '@bufbuild/protobuf';
import type { EnvoyFilter } from '@heddle/api';
import { outputToJson, sidecarNode, snapshotFromYaml } from '@heddle/testkit';
import { buildMeshIndex, translateProxy, type MeshSnapshot, type TranslationOutput } from '@heddle/translate';
import { packAny, unpackAnyAs } from '@heddle/xds';
import { FilterSchema } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import {
  HttpConnectionManagerSchema,
  type HttpConnectionManager,
} from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { RouterSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/router/v3/router_pb.ts';
import { mergeMessage } from '../../src/envoy-filter/merge-message.ts';
import { envoyFilterWarnings, loadCase, translateWithoutFilters } from './envoy-filter-case.ts';

const TYPES = ['lds', 'rds', 'cds', 'eds'] as const;

function asJson(output: TranslationOutput): unknown {
  return TYPES.map((type) => outputToJson(output, type));
}

const SERVICE = `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  clusterIP: 10.96.0.20
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: web-1, namespace: default}
spec: {address: 10.0.0.1, labels: {app: web}}
`;

const webNode = sidecarNode({ name: 'web-1', labels: { app: 'web' }, ip: '10.0.0.1' });

function insertFirst(
  name: string,
  namespace: string,
  options: { priority?: number; created?: string; context?: string; proxy?: object } = {},
): EnvoyFilter {
  return {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'EnvoyFilter',
    metadata: {
      name,
      namespace,
      ...(options.created ? { creationTimestamp: options.created } : {}),
    },
    spec: {
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      configPatches: [
        {
          applyTo: 'HTTP_FILTER',
          match: {
            context: (options.context ?? 'SIDECAR_INBOUND') as 'ANY',
            ...(options.proxy ? { proxy: options.proxy } : {}),
          },
          patch: {
            operation: 'INSERT_FIRST',
            value: {
              name,
              typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors' },
            },
          },
        },
      ],
    },
  };
}

function withFilters(filters: EnvoyFilter[]): MeshSnapshot {
  return { ...snapshotFromYaml(SERVICE), envoyFilters: filters };
}

/** HTTP filter names of the first connection manager in the named listener's chain. */
function httpFilterNames(output: TranslationOutput, listener: string, chain = 0): string[] {
  const found = output.listeners.find((l) => l.name === listener);
  const filter = found?.filterChains[chain]?.filters.find(
    (f) => f.name === 'envoy.filters.network.http_connection_manager',
  );
  assert.ok(filter?.configType.case === 'typedConfig', `no connection manager in ${listener}`);
  const hcm = unpackAnyAs(filter.configType.value, HttpConnectionManagerSchema) as HttpConnectionManager;
  return hcm.httpFilters.map((f) => f.name);
}

/** The inbound plaintext HTTP chain of virtualInbound (the last chain with a connection manager). */
function inboundFilterNames(output: TranslationOutput): string[] {
  const listener = output.listeners.find((l) => l.name === 'virtualInbound');
  const index = listener?.filterChains.findLastIndex((c) =>
    c.filters.some((f) => f.name === 'envoy.filters.network.http_connection_manager'),
  );
  assert.ok(index !== undefined && index >= 0);
  return httpFilterNames(output, 'virtualInbound', index);
}

describe('EnvoyFilter: patches that cannot apply', () => {
  it('leave every resource exactly as without the EnvoyFilter', () => {
    const { snapshot, node } = loadCase('envoyfilter-invalid');
    const [broken] = snapshot.envoyFilters;
    assert.ok(broken);
    // Drop the one valid patch: what is left must change nothing at all.
    const onlyInvalid = {
      ...broken,
      spec: { ...broken.spec, configPatches: broken.spec.configPatches?.slice(0, -1) ?? [] },
    };
    const output = translateProxy({ ...snapshot, envoyFilters: [onlyInvalid] }, node);
    assert.deepEqual(asJson(output), asJson(translateWithoutFilters('envoyfilter-invalid')));
    assert.equal(envoyFilterWarnings(output).length, 8);
    for (const warning of envoyFilterWarnings(output)) {
      assert.equal(warning.resource, 'EnvoyFilter default/broken');
      assert.match(warning.message, /^configPatches\[\d\] is skipped: /);
    }
  });
});

describe('EnvoyFilter: isolation', () => {
  it('never changes the resources of proxies it does not select, nor later translations', () => {
    const { snapshot, node } = loadCase('envoyfilter-http-filters');
    const index = buildMeshIndex(snapshot);
    const other = sidecarNode({
      name: 'other-1',
      labels: { app: 'other-client' },
      namespace: 'other',
      ip: '10.0.0.9',
    });
    const otherBefore = asJson(translateProxy(snapshot, other, index));
    const first = asJson(translateProxy(snapshot, node, index));
    const second = asJson(translateProxy(snapshot, node, index));
    assert.deepEqual(second, first, 'patch values must not be mutated by applying them');
    assert.deepEqual(asJson(translateProxy(snapshot, other, index)), otherBefore);
    assert.notDeepEqual(first, asJson(translateWithoutFilters('envoyfilter-http-filters')));
  });
});

describe('EnvoyFilter: order', () => {
  it('applies the root namespace first, then the namespace by priority, then by creation time', () => {
    const output = translateProxy(
      withFilters([
        insertFirst('ns-newer', 'default', { created: '2024-02-01T00:00:00Z' }),
        insertFirst('ns-older', 'default', { created: '2024-01-01T00:00:00Z' }),
        insertFirst('ns-late', 'default', { priority: 5 }),
        insertFirst('ns-early', 'default', { priority: -5 }),
        insertFirst('root', 'istio-system', { priority: 100 }),
      ]),
      webNode,
    );
    // Each INSERT_FIRST goes in front of the ones applied before it.
    assert.deepEqual(inboundFilterNames(output).slice(0, 5), [
      'ns-late',
      'ns-newer',
      'ns-older',
      'ns-early',
      'root',
    ]);
  });

  it('applies a namespace filter only to proxies of that namespace', () => {
    const other = sidecarNode({ name: 'web-1', labels: { app: 'web' }, namespace: 'shop', ip: '10.0.0.1' });
    const output = translateProxy(withFilters([insertFirst('default-only', 'default')]), other);
    assert.ok(envoyFilterWarnings(output).length === 0);
    assert.deepEqual(asJson(output), asJson(translateProxy(withFilters([]), other)));
  });
});

describe('EnvoyFilter: match context and proxy', () => {
  it('ANY patches inbound and outbound listeners; SIDECAR_OUTBOUND only outbound', () => {
    const output = translateProxy(
      withFilters([
        insertFirst('any', 'default', { context: 'ANY' }),
        insertFirst('out', 'default', { context: 'SIDECAR_OUTBOUND' }),
      ]),
      webNode,
    );
    assert.deepEqual(httpFilterNames(output, '0.0.0.0_80').slice(0, 2), ['out', 'any']);
    assert.equal(inboundFilterNames(output)[0], 'any');
    assert.ok(!inboundFilterNames(output).includes('out'));
  });

  it('GATEWAY patches leave sidecars alone', () => {
    const output = translateProxy(
      withFilters([insertFirst('gw', 'default', { context: 'GATEWAY' })]),
      webNode,
    );
    assert.deepEqual(asJson(output), asJson(translateProxy(withFilters([]), webNode)));
  });

  it('a proxyVersion pattern needs a proxy that announces a matching version', () => {
    const filters = [insertFirst('v124', 'default', { proxy: { proxyVersion: '^1\\.24' } })];
    const applied = (version?: string) =>
      inboundFilterNames(
        translateProxy(withFilters(filters), { ...webNode, ...(version ? { version } : {}) }),
      )[0] === 'v124';
    assert.equal(applied(undefined), false);
    assert.equal(applied('1.23.0'), false);
    assert.equal(applied('1.24.1'), true);
  });

  it('proxy metadata must match exactly', () => {
    const filters = [insertFirst('east', 'default', { proxy: { metadata: { CLUSTER_ID: 'east' } } })];
    const first = (metadata: Record<string, string>) =>
      inboundFilterNames(translateProxy(withFilters(filters), { ...webNode, metadata }))[0];
    assert.equal(first({ CLUSTER_ID: 'east' }), 'east');
    assert.notEqual(first({ CLUSTER_ID: 'west' }), 'east');
  });
});

describe('EnvoyFilter: MERGE is protobuf merge', () => {
  it('replaces set scalars, appends lists, and merges typed configs of the same type', () => {
    const target = create(HttpConnectionManagerSchema, {
      statPrefix: 'inbound',
      upgradeConfigs: [{ upgradeType: 'websocket' }],
      httpFilters: [
        {
          name: 'envoy.filters.http.router',
          configType: { case: 'typedConfig', value: packAny(RouterSchema, { dynamicStats: true }) },
        },
      ],
    });
    const source = create(HttpConnectionManagerSchema, {
      serverName: 'heddle',
      upgradeConfigs: [{ upgradeType: 'CONNECT' }],
    });
    mergeMessage(HttpConnectionManagerSchema, target, source);
    assert.equal(target.statPrefix, 'inbound');
    assert.equal(target.serverName, 'heddle');
    assert.deepEqual(
      target.upgradeConfigs.map((u) => u.upgradeType),
      ['websocket', 'CONNECT'],
    );

    const filter = create(FilterSchema, {
      name: 'hcm',
      configType: {
        case: 'typedConfig',
        value: packAny(HttpConnectionManagerSchema, { statPrefix: 'a', serverName: 'x' }),
      },
    });
    const patch = create(FilterSchema, {
      configType: { case: 'typedConfig', value: packAny(HttpConnectionManagerSchema, { serverName: 'y' }) },
    });
    mergeMessage(FilterSchema, filter, patch);
    assert.equal(filter.name, 'hcm');
    assert.ok(filter.configType.case === 'typedConfig');
    const merged = unpackAnyAs(filter.configType.value, HttpConnectionManagerSchema);
    assert.equal(merged?.statPrefix, 'a', 'fields the patch leaves unset survive inside the typed config');
    assert.equal(merged?.serverName, 'y');
  });

  it('replaces a typed config of another type', () => {
    const filter = create(FilterSchema, {
      name: 'f',
      configType: { case: 'typedConfig', value: packAny(RouterSchema, { dynamicStats: true }) },
    });
    const patch = create(FilterSchema, {
      configType: { case: 'typedConfig', value: packAny(HttpConnectionManagerSchema, { statPrefix: 'z' }) },
    });
    mergeMessage(FilterSchema, filter, patch);
    assert.ok(filter.configType.case === 'typedConfig');
    assert.equal(unpackAnyAs(filter.configType.value, HttpConnectionManagerSchema)?.statPrefix, 'z');
  });
});
