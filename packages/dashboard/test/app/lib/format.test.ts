import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatAge,
  formatBytesRate,
  formatMicros,
  formatMs,
  formatPercent,
  formatRate,
  formatWindow,
  NO_DATA,
} from '../../../src/app/lib/format.ts';

describe('dashboard number formatting', () => {
  it('prints rates with precision that shrinks as they grow', () => {
    assert.equal(formatRate(0), '0 rps');
    assert.equal(formatRate(0.0512), '0.05 rps');
    assert.equal(formatRate(2.5), '2.5 rps');
    assert.equal(formatRate(12.345), '12.3 rps');
    assert.equal(formatRate(1234.4), '1234 rps');
  });

  it('prints error fractions as percentages, tiny ones as <0.1 %', () => {
    assert.equal(formatPercent(0), '0 %');
    assert.equal(formatPercent(0.0512), '5.12 %');
    assert.equal(formatPercent(0.1), '10 %');
    assert.equal(formatPercent(0.0004), '<0.1 %');
    assert.equal(formatPercent(1), '100 %');
  });

  it('prints latencies in ms, and in s from one second', () => {
    assert.equal(formatMs(0.42), '0.42 ms');
    assert.equal(formatMs(41), '41 ms');
    assert.equal(formatMs(1500), '1.5 s');
    assert.equal(formatMicros(250), '250 µs');
    assert.equal(formatMicros(12_000), '12 ms');
  });

  it('prints a dash when there is no value', () => {
    for (const format of [formatRate, formatPercent, formatMs, formatMicros, formatBytesRate]) {
      assert.equal(format(undefined), NO_DATA);
      assert.equal(format(null), NO_DATA);
      assert.equal(format(Number.NaN), NO_DATA);
    }
  });

  it('prints byte rates in binary units', () => {
    assert.equal(formatBytesRate(512), '512 B/s');
    assert.equal(formatBytesRate(2048), '2 KiB/s');
    assert.equal(formatBytesRate(3 * 1024 * 1024), '3 MiB/s');
  });

  it('prints ages like kubectl', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    assert.equal(formatAge('2026-11-22T09:59:30Z', now), '30s');
    assert.equal(formatAge('2026-11-22T09:30:00Z', now), '30m');
    assert.equal(formatAge('2026-11-22T05:00:00Z', now), '5h');
    assert.equal(formatAge('2026-11-18T10:00:00Z', now), '4d');
    assert.equal(formatAge('not a date', now), NO_DATA);
    assert.equal(formatAge(undefined, now), NO_DATA);
  });

  it('names windows the way the selector shows them', () => {
    assert.equal(formatWindow(60), '1m');
    assert.equal(formatWindow(900), '15m');
    assert.equal(formatWindow(45), '45s');
  });
});
