// LDS updates the proxy cannot apply are refused whole, with an error naming the listener, the filter chain and
// the field; the running config stays in force and nothing built for the refused update is left behind.
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import { SocketAddress_Protocol } from '@heddle/xds/gen/envoy/config/core/v3/address_pb.ts';
import { FilterSchema } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import { ListenerFilterSchema } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import { TcpProxySchema } from '@heddle/xds/gen/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy_pb.ts';
import { after, before, describe, it } from 'node:test';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { NO_SECRETS } from '../../src/upstream/secret-provider.ts';
import { makeCertificates, type TestCertificates } from './helpers/certs.ts';
import {
  apply,
  chain,
  hcm,
  listener,
  portOf,
  prepareError,
  serverTls,
  tcpProxy,
  tlsTransport,
} from './helpers/config.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters } from './helpers/fakes.ts';
import { connectTcp, echoServer, readUntil, type Upstream } from './helpers/net.ts';

describe('refused listener updates', { timeout: 30_000 }, () => {
  let certs: TestCertificates;
  let echo: Upstream;
  let http: FakeHttp;
  let manager: ListenerManager;

  before(async () => {
    certs = makeCertificates();
    echo = await echoServer();
    http = new FakeHttp();
    manager = new ListenerManager({
      clusters: tcpClusters({ echo: [echo.port] }),
      stats: new MemoryStats(),
      secrets: NO_SECRETS,
      createHttp: http.create,
    });
    await apply(manager, [listener({ name: 'good', chains: [chain('c', [tcpProxy('echo')])] })]);
  });

  after(async () => {
    await manager.close();
    await echo.close();
    certs.remove();
  });

  const refused = (spec: Parameters<typeof listener>[0]): string => prepareError(manager, [listener(spec)]);
  const unknownFilter = create(FilterSchema, {
    name: 'envoy.filters.network.redis_proxy',
    configType: {
      case: 'typedConfig',
      value: {
        $typeName: 'google.protobuf.Any',
        typeUrl: 'type.googleapis.com/envoy.extensions.filters.network.redis_proxy.v3.RedisProxy',
        value: new Uint8Array(),
      },
    },
  });

  it('names the listener, chain and filter of an unknown network filter', () => {
    assert.equal(
      refused({ name: 'l', chains: [chain('c', [unknownFilter])] }),
      'listener l: filter_chains[0] (c): filters[0] (envoy.filters.network.redis_proxy): unsupported network filter type.googleapis.com/envoy.extensions.filters.network.redis_proxy.v3.RedisProxy',
    );
  });

  it('refuses UDP, pipes and named ports', () => {
    const udp = {
      address: {
        case: 'socketAddress' as const,
        value: {
          protocol: SocketAddress_Protocol.UDP,
          address: '127.0.0.1',
          portSpecifier: { case: 'portValue' as const, value: 0 },
        },
      },
    };
    assert.match(
      refused({ name: 'udp', chains: [chain('c', [tcpProxy('echo')])], extra: { address: udp } }),
      /listener udp: address: UDP listeners are not supported/,
    );
    const pipe = { address: { case: 'pipe' as const, value: { path: '/tmp/x.sock' } } };
    assert.match(
      refused({ name: 'p', chains: [chain('c', [tcpProxy('echo')])], extra: { address: pipe } }),
      /address: pipe addresses are not supported/,
    );
    const named = {
      address: {
        case: 'socketAddress' as const,
        value: { address: '127.0.0.1', portSpecifier: { case: 'namedPort' as const, value: 'http' } },
      },
    };
    assert.match(
      refused({ name: 'n', chains: [chain('c', [tcpProxy('echo')])], extra: { address: named } }),
      /named ports/,
    );
    assert.match(
      refused({ name: 'u', chains: [chain('c', [tcpProxy('echo')])], extra: { udpListenerConfig: {} } }),
      /udp_listener_config: not supported/,
    );
  });

  it('refuses listener features it does not implement', () => {
    assert.match(
      refused({ name: 'm', chains: [chain('c', [tcpProxy('echo')])], extra: { filterChainMatcher: {} } }),
      /listener m: filter_chain_matcher: not supported/,
    );
    const proxyProtocol = create(ListenerFilterSchema, {
      name: 'envoy.filters.listener.proxy_protocol',
      configType: {
        case: 'typedConfig',
        value: {
          $typeName: 'google.protobuf.Any',
          typeUrl: 'type.googleapis.com/envoy.extensions.filters.listener.proxy_protocol.v3.ProxyProtocol',
          value: new Uint8Array(),
        },
      },
    });
    assert.match(
      refused({
        name: 'pp',
        chains: [chain('c', [tcpProxy('echo')])],
        extra: { listenerFilters: [proxyProtocol] },
      }),
      /listener pp: listener_filters\[0\] \(envoy.filters.listener.proxy_protocol\): unsupported listener filter/,
    );
    assert.match(refused({ name: 'none', chains: [] }), /no filter chains/);
  });

  it('refuses overlapping and malformed chain matches', () => {
    assert.match(
      refused({ name: 'dup', chains: [chain('one', [tcpProxy('echo')]), chain('two', [tcpProxy('echo')])] }),
      /listener dup: filter chains filter_chains\[0\] \(one\) and filter_chains\[1\] \(two\) have the same filter_chain_match/,
    );
    assert.match(
      refused({
        name: 'cidr',
        chains: [
          chain('c', [tcpProxy('echo')], {
            filterChainMatch: { prefixRanges: [{ addressPrefix: 'ten', prefixLen: 8 }] },
          }),
        ],
      }),
      /listener cidr: filter_chains\[0\] \(c\): filter_chain_match\.prefix_ranges: 'ten\/8' is not a valid CIDR range/,
    );
    assert.match(
      refused({
        name: 'names',
        chains: [
          chain('c', [tcpProxy('echo')]),
          chain('c', [tcpProxy('echo')], { filterChainMatch: { destinationPort: 1 } }),
        ],
      }),
      /duplicate filter chain name/,
    );
  });

  it('refuses filter lists without a single terminal filter at the end', () => {
    assert.match(
      refused({ name: 't', chains: [chain('c', [tcpProxy('echo'), hcm()])] }),
      /filters\[0\] \(envoy.filters.network.tcp_proxy\): a terminal filter must be the last/,
    );
    assert.match(refused({ name: 'e', chains: [chain('c', [])] }), /filters: at least one network filter/);
  });

  it('refuses bad tcp_proxy and HTTP connection manager configs', () => {
    const noCluster = create(FilterSchema, {
      name: 'envoy.filters.network.tcp_proxy',
      configType: {
        case: 'typedConfig',
        value: anyPack(TcpProxySchema, create(TcpProxySchema, { statPrefix: 's' })),
      },
    });
    assert.match(
      refused({ name: 'tcp', chains: [chain('c', [noCluster])] }),
      /filters\[0\] \(envoy.filters.network.tcp_proxy\): cluster_specifier: cluster or weighted_clusters is required/,
    );
    assert.match(
      refused({ name: 'w', chains: [chain('c', [tcpProxy([{ name: 'a', weight: 0 }])])] }),
      /weights must add up/,
    );
    assert.match(refused({ name: 'h3', chains: [chain('c', [hcm(3)])] }), /codec_type: 3 is not supported/);
  });

  it('passes on why the HTTP side could not build a chain', () => {
    http.failWith = 'route configuration routes_8080 has an unsupported filter';
    try {
      assert.match(
        refused({ name: 'web', chains: [chain('web', [hcm()])] }),
        /listener web: filter_chains\[0\] \(web\): filters\[0\] \(envoy.filters.network.http_connection_manager\): route configuration routes_8080 has an unsupported filter/,
      );
    } finally {
      http.failWith = undefined;
    }
  });

  it('refuses TLS contexts that cannot work', () => {
    assert.match(
      refused({
        name: 'tls',
        chains: [chain('c', [hcm()], { transportSocket: tlsTransport({ commonTlsContext: {} }) })],
      }),
      /transport_socket\.envoy\.transport_sockets\.tls: common_tls_context: no tls_certificates/,
    );
    assert.match(
      refused({
        name: 'req',
        chains: [
          chain('c', [hcm()], { transportSocket: serverTls(certs.a, { requireClientCertificate: true }) }),
        ],
      }),
      /require_client_certificate: needs a validation context/,
    );
    assert.match(
      refused({
        name: 'pem',
        chains: [
          chain('c', [hcm()], { transportSocket: serverTls({ cert: 'not a pem', key: certs.a.key }) }),
        ],
      }),
      /listener pem: filter_chains\[0\] \(c\): transport_socket\.envoy\.transport_sockets\.tls: /,
    );
    assert.match(
      refused({
        name: 'cipher',
        chains: [
          chain('c', [hcm()], {
            transportSocket: serverTls(certs.a, {
              commonTlsContext: { tlsParams: { cipherSuites: ['NOT-A-CIPHER'] } },
            }),
          }),
        ],
      }),
      /tls_params/,
    );
  });

  it('refuses two listeners on one address', () => {
    const a = listener({ name: 'a', port: 18999, chains: [chain('c', [tcpProxy('echo')])] });
    const b = listener({ name: 'b', port: 18999, chains: [chain('c', [tcpProxy('echo')])] });
    assert.match(prepareError(manager, [a, b]), /listeners a and b have the same address 127\.0\.0\.1:18999/);
  });

  it('applies nothing of a refused update, keeps serving, and closes what it built', async () => {
    const before = http.handlers.length;
    const error = prepareError(manager, [
      listener({ name: 'good', chains: [chain('c', [tcpProxy('echo')])] }),
      listener({ name: 'fresh-web', chains: [chain('web', [hcm()])] }),
      listener({ name: 'zz-broken', chains: [chain('c', [unknownFilter])] }),
    ]);
    assert.match(error, /listener zz-broken/);
    assert.equal(http.handlers.length, before + 1);
    assert.equal(http.handlers.at(-1)?.closed, true);
    assert.deepEqual(
      manager.describe().map((l) => l.name),
      ['good'],
    );
    const socket = await connectTcp(portOf(manager, 'good'));
    socket.write('alive');
    assert.equal(await readUntil(socket, (s) => s === 'alive'), 'alive');
    socket.destroy();
  });
});
