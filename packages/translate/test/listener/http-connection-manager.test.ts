// The HTTP connection manager builder: filter order and hook points, route source, hardening options.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HTTP_FILTERS, packAny } from '@heddle/xds';
import { HttpConnectionManager_PathWithEscapedSlashesAction as EscapedSlashes } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { RouterSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/router/v3/router_pb.ts';
import { buildHttpConnectionManager } from '../../src/listener/http-connection-manager.ts';
import { buildHttpFilters, httpFilter } from '../../src/listener/http-filters.ts';
import { buildInboundRouteConfig } from '../../src/listener/inbound-route.ts';
import { pathNormalizationOptions } from '../../src/listener/path-normalization.ts';

const stub = (name: string) => httpFilter(name, packAny(RouterSchema, {}));
const names = (filters: readonly { name: string }[]): string[] => filters.map((f) => f.name);

describe('buildHttpFilters', () => {
  it('emits fault, CORS and the router, in that order, when nothing is hooked in', () => {
    assert.deepEqual(names(buildHttpFilters()), [HTTP_FILTERS.FAULT, HTTP_FILTERS.CORS, HTTP_FILTERS.ROUTER]);
  });

  it('places each hook in its phase: ext_authz, jwt_authn, rbac before fault; telemetry before the router', () => {
    const filters = buildHttpFilters({
      telemetry: [stub(HTTP_FILTERS.ISTIO_STATS)],
      authorization: [stub(HTTP_FILTERS.RBAC)],
      authentication: [stub(HTTP_FILTERS.JWT_AUTHN)],
      customAuthorization: [stub(HTTP_FILTERS.EXT_AUTHZ)],
    });
    assert.deepEqual(names(filters), [
      HTTP_FILTERS.EXT_AUTHZ,
      HTTP_FILTERS.JWT_AUTHN,
      HTTP_FILTERS.RBAC,
      HTTP_FILTERS.FAULT,
      HTTP_FILTERS.CORS,
      HTTP_FILTERS.ISTIO_STATS,
      HTTP_FILTERS.ROUTER,
    ]);
  });

  it('keeps the router last and every name once, whatever a hook passes', () => {
    const filters = buildHttpFilters({
      authorization: [stub(HTTP_FILTERS.ROUTER), stub(HTTP_FILTERS.RBAC), stub(HTTP_FILTERS.FAULT)],
      telemetry: [stub(HTTP_FILTERS.RBAC)],
    });
    assert.deepEqual(names(filters), [
      HTTP_FILTERS.RBAC,
      HTTP_FILTERS.FAULT,
      HTTP_FILTERS.CORS,
      HTTP_FILTERS.ROUTER,
    ]);
    assert.equal(filters.at(-1)?.name, HTTP_FILTERS.ROUTER);
  });
});

describe('buildHttpConnectionManager', () => {
  it('fetches routes by RDS over ADS, or carries them inline', () => {
    const rds = buildHttpConnectionManager({
      statPrefix: 's',
      routes: { rds: '9080' },
      useRemoteAddress: false,
    });
    assert.equal(rds.routeSpecifier.case, 'rds');
    assert.equal(rds.routeSpecifier.value?.routeConfigName, '9080');
    assert.equal(rds.routeSpecifier.value?.configSource?.configSourceSpecifier.case, 'ads');
    const inline = buildHttpConnectionManager({
      statPrefix: 's',
      routes: { inline: buildInboundRouteConfig(8080) },
      useRemoteAddress: false,
    });
    assert.equal(inline.routeSpecifier.case, 'routeConfig');
    assert.equal(inline.routeSpecifier.value?.name, 'inbound|8080||');
  });

  it('sets the hardening defaults: request ids, websocket upgrades, header and stream limits', () => {
    const hcm = buildHttpConnectionManager({ statPrefix: 's', routes: { rds: 'r' }, useRemoteAddress: true });
    assert.equal(hcm.useRemoteAddress, true);
    assert.equal(hcm.generateRequestId, true);
    assert.deepEqual(
      hcm.upgradeConfigs.map((u) => u.upgradeType),
      ['websocket'],
    );
    assert.equal(hcm.http2ProtocolOptions?.maxConcurrentStreams, 100);
    assert.equal(hcm.commonHttpProtocolOptions?.maxHeadersCount, 100);
    assert.equal(hcm.streamIdleTimeout?.seconds, 0n);
    assert.equal(hcm.requestHeadersTimeout, undefined);
    assert.equal(hcm.httpFilters.at(-1)?.name, HTTP_FILTERS.ROUTER);
  });

  it('takes timeouts, upgrades and access logs from its options', () => {
    const hcm = buildHttpConnectionManager({
      statPrefix: 's',
      routes: { rds: 'r' },
      useRemoteAddress: false,
      requestHeadersTimeoutMs: 10_000,
      streamIdleTimeoutMs: 1_500,
      upgrades: ['websocket', 'CONNECT'],
    });
    assert.equal(hcm.requestHeadersTimeout?.seconds, 10n);
    assert.equal(hcm.streamIdleTimeout?.seconds, 1n);
    assert.equal(hcm.streamIdleTimeout?.nanos, 500_000_000);
    assert.deepEqual(
      hcm.upgradeConfigs.map((u) => u.upgradeType),
      ['websocket', 'CONNECT'],
    );
  });
});

describe('pathNormalizationOptions', () => {
  const cases = [
    ['NONE', false, false, EscapedSlashes.KEEP_UNCHANGED],
    ['DEFAULT', true, false, EscapedSlashes.KEEP_UNCHANGED],
    ['BASE', true, false, EscapedSlashes.KEEP_UNCHANGED],
    ['MERGE_SLASHES', true, true, EscapedSlashes.KEEP_UNCHANGED],
    ['DECODE_AND_MERGE_SLASHES', true, true, EscapedSlashes.UNESCAPE_AND_FORWARD],
  ] as const;
  for (const [type, normalizePath, mergeSlashes, escaped] of cases) {
    it(`maps ${type} as Istio does`, () => {
      assert.deepEqual(pathNormalizationOptions(type), {
        normalizePath,
        mergeSlashes,
        pathWithEscapedSlashesAction: escaped,
      });
    });
  }

  it('treats an unset normalization as DEFAULT (BASE)', () => {
    assert.deepEqual(pathNormalizationOptions(undefined), pathNormalizationOptions('BASE'));
  });
});
