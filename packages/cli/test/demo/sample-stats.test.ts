// The numbers of the demo's summary: nearest-rank percentiles, and the binomial tolerance of a traffic split.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSplit, percentile } from '../../src/demo/sample-stats.ts';

describe('percentile', () => {
  it('is the nearest-rank value of the sorted samples, whatever their order', () => {
    const samples = [90, 10, 50, 30, 70, 20, 40, 60, 80, 100];
    assert.equal(percentile(samples, 50), 50);
    assert.equal(percentile(samples, 99), 100);
    assert.equal(percentile(samples, 0), 10);
    assert.equal(percentile(samples, 100), 100);
    assert.equal(percentile([7], 99), 7);
  });

  it('is undefined without samples', () => {
    assert.equal(percentile([], 50), undefined);
  });
});

describe('checkSplit', () => {
  it('accepts a 90/10 split within four standard deviations of the binomial share', () => {
    // n = 400: sd of the share is sqrt(0.09 / 400) = 0.015, so 10% ± ~6.1% passes.
    assert.equal(checkSplit(40, 400, 0.1).withinTolerance, true);
    assert.equal(checkSplit(20, 400, 0.1).withinTolerance, true);
    assert.equal(checkSplit(64, 400, 0.1).withinTolerance, true);
  });

  it('rejects a split the weights cannot explain: 50/50, or no canary at all at a large count', () => {
    assert.equal(checkSplit(200, 400, 0.1).withinTolerance, false);
    assert.equal(checkSplit(0, 1000, 0.1).withinTolerance, false);
  });

  it('widens with fewer requests, and says nothing without any', () => {
    assert.ok(checkSplit(5, 50, 0.1).tolerance > checkSplit(50, 500, 0.1).tolerance);
    assert.equal(checkSplit(0, 0, 0.1).withinTolerance, false);
  });
});
