// histogram_quantile as PromQL computes it: linear within the bucket, the lower bound of the first bucket is
// zero, a rank in +Inf answers the highest finite bound, nothing to rank answers nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { histogramQuantile } from '../../src/mesh-metrics/histogram-quantile.ts';

const buckets = (pairs: [number, number][]) => pairs.map(([le, count]) => ({ le, count }));

describe('histogramQuantile', () => {
  it('interpolates linearly inside the bucket the rank falls in', () => {
    const b = buckets([
      [5, 0],
      [10, 50],
      [25, 90],
      [Infinity, 100],
    ]);
    assert.equal(histogramQuantile(0.5, b), 10);
    assert.equal(histogramQuantile(0.25, b), 7.5);
    assert.equal(histogramQuantile(0.7, b), 17.5);
  });

  it('starts the first bucket at zero', () => {
    assert.equal(
      histogramQuantile(
        0.5,
        buckets([
          [10, 4],
          [Infinity, 4],
        ]),
      ),
      5,
    );
  });

  it('answers the highest finite bound when the rank is in +Inf', () => {
    assert.equal(
      histogramQuantile(
        0.99,
        buckets([
          [10, 50],
          [100, 90],
          [Infinity, 100],
        ]),
      ),
      100,
    );
  });

  it('is undefined without observations or without a +Inf bucket', () => {
    assert.equal(
      histogramQuantile(
        0.5,
        buckets([
          [10, 0],
          [Infinity, 0],
        ]),
      ),
      undefined,
    );
    assert.equal(
      histogramQuantile(
        0.5,
        buckets([
          [10, 5],
          [20, 5],
        ]),
      ),
      undefined,
    );
    assert.equal(
      histogramQuantile(
        1.5,
        buckets([
          [10, 5],
          [Infinity, 5],
        ]),
      ),
      undefined,
    );
  });

  it('takes buckets in any order and mends counts that dip', () => {
    const b = buckets([
      [Infinity, 100],
      [25, 80],
      [10, 85],
    ]);
    // 10 → 85 and 25 → 85 after mending: the median lies in the first bucket.
    assert.ok(Math.abs((histogramQuantile(0.5, b) as number) - (50 / 85) * 10) < 1e-9);
  });
});
