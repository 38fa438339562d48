// The control plane's trace collector: Zipkin's HTTP API on the monitoring port and on its own port, a
// bounded store, and refusals of bodies that are not Zipkin v2 spans.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ControlPlane } from '../../src/index.ts';
import { TraceStore } from '../../src/telemetry-collector/trace-store.ts';
import { parseZipkinSpan } from '../../src/telemetry-collector/zipkin-span.ts';
import { startTestControlPlane } from '../support/test-control-plane.ts';

const TRACE = '0af7651916cd43dd8448eb211c80319c';

function span(id: string, extra: Record<string, unknown> = {}) {
  return {
    traceId: TRACE,
    id,
    name: 'shop/*',
    kind: 'SERVER',
    timestamp: 1_700_000_000_000_000,
    duration: 1200,
    localEndpoint: { serviceName: 'frontend.shop' },
    tags: { 'http.status_code': '200' },
    ...extra,
  };
}

async function post(port: number, body: string, contentType = 'application/json') {
  const res = await fetch(`http://127.0.0.1:${port}/api/v2/spans`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return { status: res.status, body: await res.text() };
}

describe('trace collector', { timeout: 20_000 }, () => {
  let cp: ControlPlane;

  before(async () => {
    cp = await startTestControlPlane({ zipkinAddress: '127.0.0.1:0', maxTraceSpans: 50 });
  });
  after(async () => {
    await cp.close();
  });

  it('accepts Zipkin v2 JSON on the monitoring port and serves traces back', async () => {
    const posted = await post(
      cp.httpPort,
      JSON.stringify([
        span('b7ad6b7169203331'),
        span('00f067aa0ba902b7', { parentId: 'b7ad6b7169203331', kind: 'CLIENT' }),
      ]),
    );
    assert.equal(posted.status, 202);
    const trace = (await (await fetch(`http://127.0.0.1:${cp.httpPort}/api/v2/trace/${TRACE}`)).json()) as {
      id: string;
      parentId?: string;
    }[];
    assert.deepEqual(
      trace.map((s) => [s.id, s.parentId]),
      [
        ['b7ad6b7169203331', undefined],
        ['00f067aa0ba902b7', 'b7ad6b7169203331'],
      ],
    );
    const list = (await (
      await fetch(`http://127.0.0.1:${cp.httpPort}/api/v2/traces?limit=5`)
    ).json()) as unknown[][];
    assert.equal(list.length, 1);
    assert.deepEqual(await (await fetch(`http://127.0.0.1:${cp.httpPort}/api/v2/services`)).json(), [
      'frontend.shop',
    ]);
  });

  it('serves the same store on its own zipkinAddress port', async () => {
    assert.ok(cp.zipkinPort);
    const other = '1'.repeat(32);
    assert.equal(
      (await post(cp.zipkinPort, JSON.stringify([span('1111111111111111', { traceId: other })]))).status,
      202,
    );
    assert.equal(cp.traces.trace(other)?.length, 1);
    const res = await fetch(`http://127.0.0.1:${cp.httpPort}/api/v2/trace/${other}`);
    assert.equal(res.status, 200);
  });

  it('refuses bodies that are not Zipkin v2 spans, with the reason', async () => {
    const notJson = await post(cp.httpPort, '{');
    assert.equal(notJson.status, 400);
    assert.match(notJson.body, /not JSON/);
    const badId = await post(cp.httpPort, JSON.stringify([span('xyz')]));
    assert.equal(badId.status, 400);
    assert.match(badId.body, /span 0: id must be 16 hex digits/);
    assert.equal((await post(cp.httpPort, '[]', 'text/plain')).status, 415);
    assert.equal((await fetch(`http://127.0.0.1:${cp.httpPort}/api/v2/trace/${'2'.repeat(32)}`)).status, 404);
    assert.equal((await fetch(`http://127.0.0.1:${cp.httpPort}/api/v2/traces?limit=0`)).status, 400);
  });
});

describe('TraceStore', () => {
  it('evicts the oldest traces beyond its span limit and counts what it dropped', () => {
    const store = new TraceStore({ maxSpans: 3 });
    const add = (trace: string, id: string) => {
      const parsed = parseZipkinSpan({ traceId: trace.repeat(32), id: id.repeat(16) }, 0);
      assert.ok(!('error' in parsed));
      store.add([parsed]);
    };
    add('a', '1');
    add('a', '2');
    add('b', '3');
    add('c', '4');
    assert.equal(store.trace('a'.repeat(32)), undefined);
    assert.equal(store.spanCount, 2);
    assert.equal(store.evictedSpans, 2);
    assert.deepEqual(
      store.traces({ limit: 10 }).map((t) => t[0]?.traceId[0]),
      ['c', 'b'],
    );
  });

  it('pads 64-bit trace ids to 128 bits, as Zipkin does', () => {
    const parsed = parseZipkinSpan({ traceId: 'A'.repeat(16), id: 'b'.repeat(16) }, 0);
    assert.ok(!('error' in parsed));
    assert.equal(parsed.traceId, `${'0'.repeat(16)}${'a'.repeat(16)}`);
  });
});
