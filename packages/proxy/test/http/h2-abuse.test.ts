// HTTP/2 abuse with raw frames: more streams than SETTINGS_MAX_CONCURRENT_STREAMS, oversized header lists,
// CONTINUATION / PING / SETTINGS / empty DATA floods, rapid reset, and malformed header blocks (NUL/CR/LF in
// values, upper-case names, missing pseudo-headers). Each gets a stream reset or the connection closed,
// nothing malformed reaches the upstream, and other connections keep being served.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { request } from 'undici';
import { FLAG, FRAME, H2_ERROR, RawH2, frame, headerBlock, requestFields } from './helpers/h2-frames.ts';
import { hcmConfig, routeConfig, startProxy, type ProxyHarness } from './helpers/harness.ts';
import { TestClusters } from './helpers/test-clusters.ts';
import { startHttp1Upstream, type Upstream } from './helpers/upstreams.ts';

describe('HTTP/2 abuse', { timeout: 60_000 }, () => {
  let upstream: Upstream;
  let clusters: TestClusters;
  let proxy: ProxyHarness;
  const open: RawH2[] = [];
  const held: (() => void)[] = [];

  const connect = async (): Promise<RawH2> => {
    const conn = await RawH2.open(proxy.port);
    open.push(conn);
    return conn;
  };

  before(async () => {
    upstream = await startHttp1Upstream('app');
    upstream.handler = (req, res) => {
      if ((req.url ?? '').startsWith('/hold')) held.push(() => res.end('released'));
      else res.end('ok');
    };
    clusters = new TestClusters();
    clusters.add('app', { ports: [upstream.port] });
    proxy = await startProxy(
      hcmConfig(
        routeConfig([
          {
            name: 'app',
            match: { pathSpecifier: { case: 'prefix', value: '/' } },
            action: {
              case: 'route',
              value: { clusterSpecifier: { case: 'cluster', value: 'app' }, timeout: { seconds: 0n } },
            },
          },
        ]),
      ),
      clusters,
    );
  });

  afterEach(async () => {
    for (const conn of open.splice(0)) conn.close();
    for (const release of held.splice(0)) release();
    // Another client on a fresh connection is still served.
    const res = await request(`${proxy.url}/after`);
    assert.equal(await res.body.text(), 'ok');
  });

  after(async () => {
    await proxy?.close();
    await clusters?.close();
    await upstream?.close();
  });

  const received = (prefix: string) => upstream.received.filter((r) => r.url.startsWith(prefix)).length;

  it('forwards at most SETTINGS_MAX_CONCURRENT_STREAMS (100) and ends a connection that opens more', async () => {
    const conn = await connect();
    for (let i = 0; i < 150; i++) conn.headers(1 + 2 * i, requestFields(`/hold/${i}`));
    // nghttp2 treats exceeding the acknowledged limit as a connection error: GOAWAY PROTOCOL_ERROR.
    await conn.endedByServer(5000);
    assert.equal(conn.goAwayCode(), H2_ERROR.PROTOCOL_ERROR);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(received('/hold/') <= 100, `${received('/hold/')} streams were forwarded`);
  });

  it('serves 100 concurrent streams on one connection', async () => {
    const conn = await connect();
    for (let i = 0; i < 100; i++) conn.headers(1 + 2 * i, requestFields(`/many/${i}`));
    const outcomes = await Promise.all(Array.from({ length: 100 }, (_, i) => conn.outcome(1 + 2 * i)));
    assert.ok(outcomes.every((o) => o.kind === 'headers'));
  });

  it('resets a stream whose header list (cookie crumbs included) exceeds 60 KiB', async () => {
    const conn = await connect();
    const cookies = Array.from({ length: 40 }, (_, i): [string, string] => [
      'cookie',
      `c${i}=${'v'.repeat(2000)}`,
    ]);
    const block = headerBlock(requestFields('/big-cookies', cookies));
    // Split over HEADERS + CONTINUATION frames within the 16 KiB default frame size.
    const pieces = [];
    for (let at = 0; at < block.length; at += 16_000) pieces.push(block.subarray(at, at + 16_000));
    pieces.forEach((piece, i) => {
      const last = i === pieces.length - 1;
      const type = i === 0 ? FRAME.HEADERS : FRAME.CONTINUATION;
      const flags = (last ? FLAG.END_HEADERS : 0) | (i === 0 ? FLAG.END_STREAM : 0);
      conn.write(frame(type, flags, 1, piece));
    });
    const outcome = await Promise.race([
      conn.outcome(1),
      conn.closed.then(() => ({ kind: 'closed' as const })),
    ]);
    assert.notEqual(outcome.kind, 'headers');
    assert.equal(received('/big-cookies'), 0);
  });

  it('closes a connection flooded with CONTINUATION frames', async () => {
    const conn = await connect();
    conn.write(frame(FRAME.HEADERS, FLAG.END_STREAM, 1, headerBlock(requestFields('/cont'))));
    const crumb = headerBlock([['x-c', 'v']]);
    for (let i = 0; i < 20_000 && conn.write(frame(FRAME.CONTINUATION, 0, 1, crumb)); i++);
    await conn.endedByServer(10_000);
    assert.equal(received('/cont'), 0);
  });

  it('closes a connection flooded with empty CONTINUATION frames', async () => {
    const conn = await connect();
    conn.write(frame(FRAME.HEADERS, FLAG.END_STREAM, 1, headerBlock(requestFields('/cont-empty'))));
    for (let i = 0; i < 20_000 && conn.write(frame(FRAME.CONTINUATION, 0, 1)); i++);
    await conn.endedByServer(10_000);
    assert.equal(received('/cont-empty'), 0);
  });

  it('closes a connection flooded with empty DATA frames', async () => {
    const conn = await connect();
    conn.headers(1, requestFields('/hold/empty-data', [], 'POST'), false);
    for (let i = 0; i < 20_000 && conn.write(frame(FRAME.DATA, 0, 1)); i++);
    await conn.endedByServer(10_000);
  });

  it('closes a connection that floods PINGs without reading the acknowledgements', async () => {
    const conn = await connect();
    conn.socket.pause();
    const ping = frame(FRAME.PING, 0, 0, Buffer.alloc(8));
    const batch = Buffer.concat(Array.from({ length: 1000 }, () => ping));
    for (let i = 0; i < 2000 && !conn.isClosed; i++) {
      if (!conn.socket.write(batch)) await new Promise((r) => setTimeout(r, 5));
    }
    conn.socket.resume();
    await conn.endedByServer(10_000);
  });

  it('closes a connection that floods SETTINGS without reading the acknowledgements', async () => {
    const conn = await connect();
    conn.socket.pause();
    const settings = frame(FRAME.SETTINGS, 0, 0);
    const batch = Buffer.concat(Array.from({ length: 1000 }, () => settings));
    for (let i = 0; i < 2000 && !conn.isClosed; i++) {
      if (!conn.socket.write(batch)) await new Promise((r) => setTimeout(r, 5));
    }
    conn.socket.resume();
    await conn.endedByServer(10_000);
  });

  it('closes a connection that opens and resets streams in a loop (rapid reset)', async () => {
    const conn = await connect();
    let id = 1;
    for (let i = 0; i < 5000 && !conn.isClosed; i++, id += 2) {
      conn.headers(id, requestFields(`/reset/${i}`));
      conn.rst(id);
      if (i % 200 === 199) await new Promise((r) => setImmediate(r));
    }
    await conn.endedByServer(10_000);
    assert.ok(received('/reset/') < 5000, `${received('/reset/')} reached the upstream`);
  });

  it('closes a connection whose streams are mostly reset soon after opening, below the burst limits', async () => {
    const closedBefore = proxy.stats.value('http.test.downstream_rq_too_many_premature_resets');
    const conn = await connect();
    // Each batch is opened, seen by the proxy (requests start upstream), then reset well within a second:
    // fewer resets than Node's burst limit, and no stream is refused, so only the premature-reset
    // accounting can end this connection.
    let id = 1;
    for (let batch = 0; batch < 14 && !conn.isClosed; batch++) {
      const ids = Array.from({ length: 50 }, (_, i) => id + 2 * i);
      id += 100;
      for (const stream of ids) conn.headers(stream, requestFields(`/hold/slow-reset/${stream}`));
      await new Promise((r) => setTimeout(r, 30));
      for (const stream of ids) conn.rst(stream);
    }
    await conn.endedByServer(10_000);
    assert.equal(conn.goAwayCode(), H2_ERROR.ENHANCE_YOUR_CALM);
    assert.equal(proxy.stats.value('http.test.downstream_rq_too_many_premature_resets'), closedBefore + 1);
  });

  it('keeps a connection whose streams complete normally, however many', async () => {
    const conn = await connect();
    for (let batch = 0; batch < 6; batch++) {
      const ids = Array.from({ length: 100 }, (_, i) => 1 + 2 * (batch * 100 + i));
      for (const id of ids) conn.headers(id, requestFields(`/normal/${id}`));
      const outcomes = await Promise.all(ids.map((id) => conn.outcome(id)));
      assert.ok(outcomes.every((o) => o.kind === 'headers'));
    }
    assert.equal(conn.isClosed, false);
    assert.equal(conn.goAwayCode(), undefined);
  });

  for (const [name, fields] of [
    ['a NUL in a value', [['x-bad', 'a\0b']]],
    ['a CR in a value', [['x-bad', 'a\rb']]],
    ['an LF in a value', [['x-bad', 'a\nx-injected: 1']]],
    ['an upper-case header name', [['X-Upper', 'v']]],
    ['a space in a header name', [['x bad', 'v']]],
    ['a connection-specific header', [['connection', 'keep-alive']]],
  ] as const) {
    it(`resets a stream with ${name} and forwards nothing`, async () => {
      const conn = await connect();
      const path = `/malformed/${encodeURIComponent(name)}`;
      conn.headers(1, requestFields(path, fields));
      const outcome = await conn.outcome(1);
      assert.equal(outcome.kind, 'rst');
      assert.equal(received(path), 0);
      conn.headers(3, requestFields('/fine'));
      assert.deepEqual(await conn.outcome(3), { kind: 'headers' });
    });
  }

  for (const missing of [':method', ':path', ':scheme']) {
    it(`resets a request without ${missing}`, async () => {
      const conn = await connect();
      conn.headers(
        1,
        requestFields('/no-pseudo').filter(([n]) => n !== missing),
      );
      const outcome = await conn.outcome(1);
      assert.equal(outcome.kind, 'rst');
      assert.equal(received('/no-pseudo'), 0);
    });
  }
});
