// Reconnect back-off: exponential growth from 500 ms, capped at 30 s, fully jittered.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff, backoffDelay, DEFAULT_BACKOFF } from '../../src/xds/backoff.ts';

describe('backoff', () => {
  it('doubles the ceiling per attempt up to the cap', () => {
    const options = { ...DEFAULT_BACKOFF, random: () => 0.5 };
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 7, 8, 40].map((attempt) => backoffDelay(attempt, options));
    assert.deepEqual(ceilings, [250, 500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000, 15_000]);
  });

  it('spreads retries over the whole interval (full jitter)', () => {
    const values = [0, 0.25, 0.5, 0.75];
    let index = 0;
    const backoff = new Backoff({
      baseMs: 500,
      capMs: 30_000,
      random: () => values[index++ % values.length] ?? 0,
    });
    assert.deepEqual([backoff.next(), backoff.next(), backoff.next(), backoff.next()], [0, 250, 1000, 3000]);
    backoff.reset();
    assert.equal(backoff.next(), 0);
    assert.equal(backoff.next(), 250);
  });
});
