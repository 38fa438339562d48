import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarizeTrace } from '../../../src/app/lib/trace-summary.ts';
import { TRACES } from '../../support/fixtures.ts';

describe('trace summaries', () => {
  it('names the root span, its service, the span count and the whole duration', () => {
    const summary = summarizeTrace(TRACES[0] ?? []);
    assert.ok(summary);
    assert.equal(summary.rootName, 'frontend.shop.svc.cluster.local:8080/*');
    assert.equal(summary.rootService, 'frontend.shop');
    assert.equal(summary.spanCount, 3);
    assert.equal(summary.durationMicros, 12_000);
    assert.deepEqual(summary.services, ['frontend.shop', 'product.shop']);
    assert.equal(summary.failed, false);
  });

  it('takes the earliest span as root when the root span has not arrived', () => {
    const [, ...children] = TRACES[0] ?? [];
    const summary = summarizeTrace(children);
    assert.equal(summary?.rootName, 'product.shop.svc.cluster.local:9080/*');
    assert.equal(summary?.durationMicros, 9000);
  });

  it('marks traces with a 5xx or an error tag as failed', () => {
    const [root, ...rest] = TRACES[0] ?? [];
    assert.ok(root);
    assert.equal(summarizeTrace([{ ...root, tags: { 'http.status_code': '503' } }, ...rest])?.failed, true);
    assert.equal(summarizeTrace([{ ...root, tags: { error: 'true' } }])?.failed, true);
  });

  it('has nothing to say about an empty trace', () => {
    assert.equal(summarizeTrace([]), undefined);
  });
});
