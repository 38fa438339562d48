// HTTP/2 upstreams (explicit http2_protocol_options, h2c): streams share one session, more sessions open past
// max_concurrent_streams, GOAWAY retires a session without failing later requests, trailers and streamed
// bodies pass through, and a refused stream is reported as such.
import assert from 'node:assert/strict';
import { constants, type Http2ServerResponse } from 'node:http2';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { isAttemptError } from '../../src/upstream/attempt-error.ts';
import type { UpstreamAttempt } from '../../src/upstream/cluster-view.ts';
import { ports, staticCluster } from './helpers/config.ts';
import { applyClusters, eventually, harness, view } from './helpers/harness.ts';
import { http2Options } from './helpers/protocol-options.ts';
import { request, send } from './helpers/send.ts';
import { startH2Upstream, type TestH2Upstream } from './helpers/upstreams.ts';

describe('HTTP/2 upstream', { timeout: 15_000 }, () => {
  let h2: TestH2Upstream;
  const held: Http2ServerResponse[] = [];
  before(async () => {
    h2 = await startH2Upstream('h2', (req, res, upstream) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/hold') {
          held.push(res);
          return;
        }
        if (req.url === '/refuse') {
          res.stream.close(constants.NGHTTP2_REFUSED_STREAM);
          return;
        }
        if (req.url === '/goaway') {
          res.end('bye');
          res.stream.session?.goaway(constants.NGHTTP2_NO_ERROR);
          return;
        }
        res.setHeader('x-upstream', upstream.name);
        res.setHeader('x-protocol', req.httpVersion);
        if (req.url === '/trailers') {
          res.addTrailers({ 'grpc-status': '0', 'grpc-message': 'ok' });
        }
        res.end(
          `${req.method} ${req.url} ${req.headers[':authority'] ?? ''} ${Buffer.concat(chunks).toString()}`,
        );
      });
    });
  });
  after(async () => {
    for (const res of held) res.end();
    await h2.close();
  });

  it('speaks HTTP/2 and reuses one session for concurrent requests', async () => {
    const { manager, stats } = harness();
    try {
      const before = h2.connections;
      applyClusters(manager, [staticCluster('svc', ports('svc', [h2.port]), http2Options())]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => send(svc, host, { path: `/r${i}`, authority: 'api.test' })),
      );
      assert.deepEqual(
        responses.map((r) => r.body),
        responses.map((_, i) => `GET /r${i} api.test `),
      );
      assert.equal(responses[0]?.headers['x-protocol'], '2.0');
      assert.equal(h2.connections - before, 1);
      assert.equal(stats.cluster('svc', 'upstream_cx_http2_total'), 1);
      assert.equal(stats.cluster('svc', 'upstream_rq_200'), 10);
    } finally {
      manager.close();
    }
  });

  it('opens another session once max_concurrent_streams streams are in flight', async () => {
    const { manager } = harness();
    const attempts: UpstreamAttempt[] = [];
    try {
      const before = h2.connections;
      applyClusters(manager, [
        staticCluster('svc', ports('svc', [h2.port]), http2Options({ maxConcurrentStreams: 2 })),
      ]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      for (let i = 0; i < 4; i++) attempts.push(svc.sendHttp(host, request({ path: '/hold' })));
      await eventually(() => held.length === 4);
      assert.equal(h2.connections - before, 2);
      for (const res of held.splice(0)) res.end('done');
      const statuses = await Promise.all(attempts.map(async (a) => (await a.response).status));
      assert.deepEqual(statuses, [200, 200, 200, 200]);
    } finally {
      manager.close();
    }
  });

  it('moves to a new session after GOAWAY, without failing the next requests', async () => {
    const { manager, stats } = harness();
    try {
      const before = h2.connections;
      applyClusters(manager, [staticCluster('svc', ports('svc', [h2.port]), http2Options())]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      assert.equal((await send(svc, host, { path: '/goaway' })).body, 'bye');
      await eventually(() => stats.cluster('svc', 'upstream_cx_active') === 0);
      const after = await send(svc, host, { path: '/next' });
      assert.equal(after.status, 200);
      assert.equal(h2.connections - before, 2);
    } finally {
      manager.close();
    }
  });

  it('passes response trailers and streamed request bodies through', async () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [staticCluster('svc', ports('svc', [h2.port]), http2Options())]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      const body = Readable.from([Buffer.from('part1-'), Buffer.from('part2')]);
      const response = await send(svc, host, { method: 'POST', path: '/trailers', body, protocol: 'http2' });
      assert.equal(response.body, 'POST /trailers upstream.test part1-part2');
      assert.deepEqual(response.trailers, { 'grpc-status': '0', 'grpc-message': 'ok' });
    } finally {
      manager.close();
    }
  });

  it('reports a stream the server refused as refused-stream', async () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [staticCluster('svc', ports('svc', [h2.port]), http2Options())]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      const err: unknown = await svc.sendHttp(host, request({ path: '/refuse' })).response.then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isAttemptError(err));
      assert.equal(err.outcome.kind, 'refused-stream');
    } finally {
      manager.close();
    }
  });

  it('reports an unreachable HTTP/2 host as connect-failure', async () => {
    const gone = await startH2Upstream('gone');
    await gone.close();
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [staticCluster('svc', ports('svc', [gone.port]), http2Options())]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      const err: unknown = await svc.sendHttp(host, request()).response.then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isAttemptError(err));
      assert.equal(err.outcome.kind, 'connect-failure');
      assert.equal(stats.cluster('svc', 'upstream_cx_connect_fail'), 1);
      assert.equal(stats.cluster('svc', 'upstream_rq_active'), 0);
    } finally {
      manager.close();
    }
  });
});
