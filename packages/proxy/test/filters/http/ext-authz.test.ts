// ext_authz (HTTP service; gRPC in ext-authz-grpc.test.ts) over a real proxy and a loopback authorization server: allowed requests carry the
// service's chosen headers upstream, denials answer with the service's status, failures fail closed unless
// failure_mode_allow; the service gets every value of a repeated header; Istio's CUSTOM gating by the RBAC
// shadow metadata decides which requests are checked at all.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { HTTP_FILTERS, packAny } from '@heddle/xds';
import { ExtAuthzSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/ext_authz/v3/ext_authz_pb.ts';
import { rawRequest } from '../support/raw-http.ts';
import { anyPrincipal, httpRbacFilter, pathPrefix, rules } from '../support/rbac-config.ts';
import {
  httpFilter,
  staticCluster,
  startSecuredProxy,
  type Echo,
  type SecuredProxy,
} from '../support/secured-proxy.ts';

const AUTHZ_CLUSTER = 'outbound|8000||ext-authz.test';
const DEAD_CLUSTER = 'outbound|8000||dead.test';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly rawHeaders: readonly string[];
}

const exact = (value: string) => ({ matchPattern: { case: 'exact' as const, value }, ignoreCase: true });

function extAuthz(cluster: string, extra: Record<string, unknown> = {}) {
  return httpFilter(
    HTTP_FILTERS.EXT_AUTHZ,
    packAny(ExtAuthzSchema, {
      services: {
        case: 'httpService',
        value: {
          serverUri: {
            uri: 'http://ext-authz.test:8000',
            httpUpstreamType: { case: 'cluster', value: cluster },
            timeout: { nanos: 500_000_000 },
          },
          pathPrefix: '/check',
          authorizationRequest: { allowedHeaders: { patterns: [exact('x-allow'), exact('x-multi')] } },
          authorizationResponse: {
            allowedUpstreamHeaders: { patterns: [exact('x-authz-user')] },
            allowedClientHeaders: { patterns: [exact('x-authz-reason')] },
          },
        },
      },
      ...extra,
    }),
  );
}

describe('ext_authz', { timeout: 30_000 }, () => {
  let authz: Server;
  let authzPort: number;
  const seen: Seen[] = [];
  const proxies: SecuredProxy[] = [];
  let proxy: SecuredProxy;

  const start = async (filters: Parameters<typeof startSecuredProxy>[0]['httpFilters']) => {
    const p = await startSecuredProxy({
      httpFilters: filters ?? [],
      extraClusters: [staticCluster(AUTHZ_CLUSTER, authzPort), staticCluster(DEAD_CLUSTER, 1)],
    });
    proxies.push(p);
    return p;
  };

  before(async () => {
    authz = createServer((request: IncomingMessage, response) => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', rawHeaders: request.rawHeaders });
      if (request.headers['x-allow'] === 'slow') {
        setTimeout(() => response.end(), 2000).unref();
        return;
      }
      if (request.headers['x-allow'] === 'yes') {
        response.setHeader('x-authz-user', 'alice');
        response.setHeader('x-internal', 'secret');
        response.end();
        return;
      }
      response.statusCode = 403;
      response.setHeader('x-authz-reason', 'not allowed');
      response.setHeader('x-internal', 'secret');
      response.end('denied by authz');
    });
    await new Promise<void>((resolve) => authz.listen(0, '127.0.0.1', resolve));
    authzPort = (authz.address() as AddressInfo).port;
    proxy = await start([extAuthz(AUTHZ_CLUSTER)]);
  });

  after(async () => {
    for (const p of proxies) await p.close();
    authz.closeAllConnections();
    await new Promise<void>((resolve) => authz.close(() => resolve()));
  });

  it('lets an allowed request through with the allowed response headers only', async () => {
    const reply = await rawRequest(proxy.port, '/api/items?q=1', ['x-allow: yes', 'x-authz-user: mallory']);
    assert.equal(reply.status, 200, reply.body);
    const echo = JSON.parse(reply.body) as Echo;
    assert.equal(echo.headers['x-authz-user'], 'alice');
    assert.equal(echo.headers['x-internal'], undefined);
    assert.equal(echo.url, '/api/items?q=1');
    const check = seen.at(-1);
    assert.equal(check?.method, 'GET');
    assert.equal(check?.url, '/check/api/items?q=1');
  });

  it('answers a denial with the service status, body and allowed client headers', async () => {
    const before = await proxy.stat('http.inbound_0.0.0.0_8080.ext_authz.denied');
    const reply = await rawRequest(proxy.port, '/api', ['x-allow: no']);
    assert.equal(reply.status, 403);
    assert.equal(reply.body, 'denied by authz');
    assert.equal(reply.headers['x-authz-reason'], 'not allowed');
    assert.equal(reply.headers['x-internal'], undefined);
    assert.equal(await proxy.stat('http.inbound_0.0.0.0_8080.ext_authz.denied'), before + 1);
  });

  it('sends every value of a repeated header, and no header outside allowed_headers', async () => {
    await rawRequest(proxy.port, '/api', [
      'x-allow: yes',
      'x-multi: one',
      'x-multi: two',
      'x-secret: s3cr3t',
    ]);
    const raw = seen.at(-1)?.rawHeaders ?? [];
    const values = raw.filter((_, i) => i % 2 === 1 && raw[i - 1]?.toLowerCase() === 'x-multi');
    assert.deepEqual(values.join(',').split(/\s*,\s*/), ['one', 'two']);
    assert.ok(!raw.some((h) => h.toLowerCase() === 'x-secret'));
  });

  it('fails closed when the service cannot be reached, with 403 by default', async () => {
    const dead = await start([extAuthz(DEAD_CLUSTER)]);
    assert.equal((await rawRequest(dead.port, '/api', ['x-allow: yes'])).status, 403);
    assert.equal(await dead.stat('http.inbound_0.0.0.0_8080.ext_authz.error'), 1);
  });

  it('fails closed on a timeout, with status_on_error', async () => {
    const p = await start([extAuthz(AUTHZ_CLUSTER, { statusOnError: { code: 503 } })]);
    assert.equal((await rawRequest(p.port, '/api', ['x-allow: slow'])).status, 503);
  });

  it('lets requests through on failure when failure_mode_allow is set', async () => {
    const p = await start([
      extAuthz(DEAD_CLUSTER, { failureModeAllow: true, failureModeAllowHeaderAdd: true }),
    ]);
    const reply = await rawRequest(p.port, '/api');
    assert.equal(reply.status, 200);
    assert.equal((JSON.parse(reply.body) as Echo).headers['x-envoy-auth-failure-mode-allowed'], 'true');
  });

  it('checks only requests the CUSTOM policy selects (rbac shadow metadata, filter_enabled_metadata)', async () => {
    const custom = httpRbacFilter({
      shadowRules: rules('ALLOW', {
        'istio-ext-authz-ns[default]-policy[custom]-rule[0]': {
          permissions: [pathPrefix('/guarded')],
          principals: [anyPrincipal],
        },
      }),
      shadowRulesStatPrefix: 'istio_ext_authz_',
    });
    const gated = extAuthz(AUTHZ_CLUSTER, {
      filterEnabledMetadata: {
        filter: 'envoy.filters.http.rbac',
        path: [{ segment: { case: 'key', value: 'istio_ext_authz_shadow_effective_policy_id' } }],
        value: {
          matchPattern: {
            case: 'stringMatch',
            value: { matchPattern: { case: 'prefix', value: 'istio-ext-authz' } },
          },
        },
      },
    });
    const p = await start([custom, gated]);
    assert.equal((await rawRequest(p.port, '/plain')).status, 200);
    assert.equal((await rawRequest(p.port, '/guarded/x')).status, 403);
    assert.equal((await rawRequest(p.port, '/guarded/../plain')).status, 200);
    assert.equal((await rawRequest(p.port, '/plain/../guarded')).status, 403);
    assert.equal((await rawRequest(p.port, '/guarded/x', ['x-allow: yes'])).status, 200);
  });

  it('refuses a filter with neither an HTTP nor a gRPC service, naming both', async () => {
    const empty = httpFilter(HTTP_FILTERS.EXT_AUTHZ, packAny(ExtAuthzSchema, {}));
    await assert.rejects(start([empty]), /config refused: .*http_service or grpc_service is required/);
  });
});
