// WebSocket upgrades pass through when the connection manager enables them: the handshake reaches the
// upstream and frames flow both ways; an upgrade type that is not enabled is a plain request.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { hcmConfig, routeConfig, startProxy, type ProxyHarness } from './helpers/harness.ts';
import { TestClusters } from './helpers/test-clusters.ts';

function readUntil(socket: Socket, marker: string): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (c: Buffer) => {
      text += c.toString('latin1');
      if (text.includes(marker)) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
  });
}

describe('websocket upgrade', { timeout: 20_000 }, () => {
  let upstream: Server;
  let clusters: TestClusters;
  let proxy: ProxyHarness;
  const upstreamSockets = new Set<Socket>();
  const upgrades: string[] = [];

  before(async () => {
    upstream = createServer((_req, res) => {
      res.writeHead(200);
      res.end('not upgraded');
    });
    upstream.on('upgrade', (req, socket: Socket) => {
      upstreamSockets.add(socket);
      upgrades.push(`${req.url} ${req.headers.upgrade}`);
      socket.write('HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n');
      socket.on('data', (c: Buffer) => socket.write(`echo:${c.toString()}`));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    clusters = new TestClusters();
    clusters.add('ws', { ports: [(upstream.address() as AddressInfo).port] });
    proxy = await startProxy(
      hcmConfig(
        routeConfig([
          {
            name: 'ws',
            match: { pathSpecifier: { case: 'prefix', value: '/' } },
            action: { case: 'route', value: { clusterSpecifier: { case: 'cluster', value: 'ws' } } },
          },
        ]),
        {
          upgradeConfigs: [{ upgradeType: 'websocket' }],
        },
      ),
      clusters,
    );
  });

  after(async () => {
    await proxy?.close();
    await clusters?.close();
    for (const s of upstreamSockets) s.destroy();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('tunnels an upgraded connection both ways', async () => {
    const done = proxy.nextStream();
    const socket = connect(proxy.port, '127.0.0.1');
    socket.write(
      'GET /chat HTTP/1.1\r\nhost: chat.local\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-key: x3JJHMbDL1EzLkh9GBhXDw==\r\nsec-websocket-version: 13\r\n\r\n',
    );
    const handshake = await readUntil(socket, '\r\n\r\n');
    assert.match(handshake, /^HTTP\/1\.1 101/);
    socket.write('ping');
    assert.equal(await readUntil(socket, 'echo:ping'), 'echo:ping');
    socket.destroy();
    const info = await done;
    assert.equal(info.responseCode, 101);
    assert.deepEqual(upgrades, ['/chat websocket']);
  });

  it('treats an upgrade type that is not enabled as a plain request', async () => {
    const socket = connect(proxy.port, '127.0.0.1');
    socket.write('GET /x HTTP/1.1\r\nhost: chat.local\r\nupgrade: foo\r\nconnection: upgrade\r\n\r\n');
    const response = await readUntil(socket, 'not upgraded');
    assert.match(response, /^HTTP\/1\.1 200/);
    socket.destroy();
    assert.equal(upgrades.length, 1);
  });
});
