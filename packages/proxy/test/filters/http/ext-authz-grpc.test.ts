// ext_authz in gRPC mode over a real proxy and a real gRPC authorization server (@grpc/grpc-js serving
// envoy.service.auth.v3.Authorization): the Check call carries the request's attributes; an OK answer lets the
// request on with the header changes it names; a denial answers with its status, headers and body; a service
// that fails or is too slow fails closed unless failure_mode_allow.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import { grpcServiceDefinition, HTTP_FILTERS, packAny } from '@heddle/xds';
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { ExtAuthzSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/ext_authz/v3/ext_authz_pb.ts';
import type { CheckRequest } from '@heddle/xds/gen/envoy/service/auth/v3/external_auth_pb.ts';
import {
  Authorization,
  CheckResponseSchema,
  type CheckResponse,
} from '@heddle/xds/gen/envoy/service/auth/v3/external_auth_pb.ts';
import { http2Options } from '../../upstream/helpers/protocol-options.ts';
import { rawRequest } from '../support/raw-http.ts';
import {
  httpFilter,
  staticCluster,
  startSecuredProxy,
  type Echo,
  type SecuredProxy,
} from '../support/secured-proxy.ts';

const AUTHZ_CLUSTER = 'outbound|9000||grpc-authz.test';
const STATS = 'http.inbound_0.0.0.0_8080.ext_authz.';
/** gRPC status codes the tests use. */
const OK = 0;
const PERMISSION_DENIED = 7;

type CheckResponseInit = MessageInitShape<typeof CheckResponseSchema>;

function grpcExtAuthz(extra: Record<string, unknown> = {}) {
  return httpFilter(
    HTTP_FILTERS.EXT_AUTHZ,
    packAny(ExtAuthzSchema, {
      services: {
        case: 'grpcService',
        value: {
          targetSpecifier: {
            case: 'envoyGrpc',
            value: { clusterName: AUTHZ_CLUSTER, authority: 'grpc-authz.test' },
          },
          timeout: { nanos: 500_000_000 },
        },
      },
      transportApiVersion: 2,
      ...extra,
    }),
  );
}

/** The answer for a request, by its path. */
function decide(request: CheckRequest): CheckResponseInit | 'hang' | 'fail' {
  const http = request.attributes?.request?.http;
  const path = http?.path ?? '';
  if (path.startsWith('/slow')) return 'hang';
  if (path.startsWith('/broken')) return 'fail';
  if (path.startsWith('/allowed')) {
    return {
      status: { code: OK },
      httpResponse: {
        case: 'okResponse',
        value: {
          headers: [
            { header: { key: 'x-authz-user', value: http?.headers['x-user'] ?? 'anonymous' } },
            { header: { key: 'x-tag', value: 'added' }, append: true },
          ],
          headersToRemove: ['x-secret'],
        },
      },
    };
  }
  return {
    status: { code: PERMISSION_DENIED },
    httpResponse: {
      case: 'deniedResponse',
      value: {
        status: { code: 401 },
        headers: [{ header: { key: 'www-authenticate', value: 'Bearer realm="shop"' } }],
        body: 'denied by the gRPC service',
      },
    },
  };
}

describe('ext_authz over gRPC', { timeout: 30_000 }, () => {
  let server: grpc.Server;
  let port: number;
  const checks: CheckRequest[] = [];
  const proxies: SecuredProxy[] = [];
  let proxy: SecuredProxy;

  const start = async (extra: Record<string, unknown> = {}, clusterPort?: number) => {
    // gRPC needs HTTP/2 to the service, as Istio's cluster for a GRPC port has.
    const cluster = staticCluster(AUTHZ_CLUSTER, clusterPort ?? port);
    // http2Options packs real Any messages; its declared type is the looser init shape.
    cluster.typedExtensionProtocolOptions = http2Options()
      .typedExtensionProtocolOptions as Cluster['typedExtensionProtocolOptions'];
    const p = await startSecuredProxy({ httpFilters: [grpcExtAuthz(extra)], extraClusters: [cluster] });
    proxies.push(p);
    return p;
  };

  before(async () => {
    server = new grpc.Server();
    server.addService(grpcServiceDefinition(Authorization), {
      check: (
        call: grpc.ServerUnaryCall<CheckRequest, CheckResponse>,
        callback: grpc.sendUnaryData<CheckResponse>,
      ) => {
        checks.push(call.request);
        const answer = decide(call.request);
        if (answer === 'hang') return;
        if (answer === 'fail') {
          callback({ code: grpc.status.UNAVAILABLE, details: 'authorizer is down' });
          return;
        }
        callback(null, create(CheckResponseSchema, answer));
      },
    });
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    proxy = await start();
  });

  after(async () => {
    for (const p of proxies) await p.close();
    server.forceShutdown();
  });

  it('sends the request attributes: method, path, host, headers and the client address', async () => {
    const before = checks.length;
    await rawRequest(proxy.port, '/allowed/items?page=2', ['x-user: alice', 'x-multi: a', 'x-multi: b']);
    const check = checks[before];
    const http = check?.attributes?.request?.http;
    assert.equal(http?.method, 'GET');
    assert.equal(http?.path, '/allowed/items?page=2');
    assert.equal(http?.query, 'page=2');
    assert.equal(http?.headers['x-user'], 'alice');
    assert.equal(http?.headers['x-multi'], 'a,b');
    assert.equal(http?.headers[':path'], '/allowed/items?page=2');
    assert.equal(http?.protocol, 'HTTP/1.1');
    const source = check?.attributes?.source?.address?.address;
    assert.equal(source?.case === 'socketAddress' ? source.value.address : '', '127.0.0.1');
  });

  it('lets an allowed request on with the headers the service sets, appends and removes', async () => {
    const okBefore = await proxy.stat(`${STATS}ok`);
    const reply = await rawRequest(proxy.port, '/allowed/x', [
      'x-user: bob',
      'x-tag: original',
      'x-secret: hunter2',
    ]);
    assert.equal(reply.status, 200);
    const seen = (JSON.parse(reply.body) as Echo).headers;
    assert.equal(seen['x-authz-user'], 'bob');
    assert.deepEqual(seen['x-tag'], 'original, added');
    assert.equal(seen['x-secret'], undefined);
    assert.equal(await proxy.stat(`${STATS}ok`), okBefore + 1);
  });

  it("answers a denial with the service's status, headers and body (UAEX)", async () => {
    const deniedBefore = await proxy.stat(`${STATS}denied`);
    const reply = await rawRequest(proxy.port, '/private');
    assert.equal(await proxy.stat(`${STATS}denied`), deniedBefore + 1);
    assert.equal(reply.status, 401);
    assert.equal(reply.body, 'denied by the gRPC service');
    assert.equal(reply.headers['www-authenticate'], 'Bearer realm="shop"');
  });

  it('fails closed with 403 when the service answers a gRPC error or does not answer in time', async () => {
    assert.equal((await rawRequest(proxy.port, '/broken')).status, 403);
    const errorsBefore = await proxy.stat(`${STATS}error`);
    const started = performance.now();
    assert.equal((await rawRequest(proxy.port, '/slow')).status, 403);
    assert.equal(await proxy.stat(`${STATS}error`), errorsBefore + 1);
    assert.ok(performance.now() - started < 5_000, 'the check timeout (0.5 s) bounds the wait');
  });

  it('lets requests through on failure with failure_mode_allow, and uses status_on_error otherwise', async () => {
    const open = await start({ failureModeAllow: true, failureModeAllowHeaderAdd: true });
    const reply = await rawRequest(open.port, '/broken');
    assert.equal(reply.status, 200);
    assert.equal((JSON.parse(reply.body) as Echo).headers['x-envoy-auth-failure-mode-allowed'], 'true');
    const closed = await start({ statusOnError: { code: 503 } });
    assert.equal((await rawRequest(closed.port, '/broken')).status, 503);
  });

  it('refuses google_grpc, which the proxy does not speak, with a clear reason', async () => {
    const google = httpFilter(
      HTTP_FILTERS.EXT_AUTHZ,
      packAny(ExtAuthzSchema, {
        services: {
          case: 'grpcService',
          value: {
            targetSpecifier: { case: 'googleGrpc', value: { targetUri: 'authz:9000', statPrefix: 'authz' } },
          },
        },
      }),
    );
    await assert.rejects(
      startSecuredProxy({ httpFilters: [google] }),
      /config refused: .*google_grpc is not supported; use envoy_grpc/,
    );
  });
});
