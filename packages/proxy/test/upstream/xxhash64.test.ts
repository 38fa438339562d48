// xxHash64 matches the reference vectors, so ring hash and maglev place hosts as Envoy's hash would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hash64, xxhash64 as hashInto } from '../../src/upstream/lb/xxhash64.ts';

const xxhash64 = (text: string, seed = 0): bigint => hashInto(text, new Hash64(), seed).toBigInt();

describe('xxhash64', { timeout: 5_000 }, () => {
  it('matches the reference values', () => {
    assert.equal(xxhash64('').toString(16), 'ef46db3751d8e999');
    assert.equal(xxhash64('a').toString(16), 'd24ec4f1a98c6e5b');
    assert.equal(xxhash64('abc').toString(16), '44bc2cf5ad770999');
    assert.equal(xxhash64('Nobody inspects the spammish repetition').toString(16), 'fbcea83c8a378bf1');
  });

  it('matches the reference values with a seed and for inputs of 32 bytes and more', () => {
    assert.equal(xxhash64('', 1).toString(16), 'd5afba1336a3be4b');
    assert.equal(xxhash64('0123456789abcdef0123456789abcdef').toString(16), '642a94958e71e6c5');
  });

  it('is stable across calls and long inputs', () => {
    const long = 'x'.repeat(1000);
    assert.equal(xxhash64(long), xxhash64(long));
    assert.notEqual(xxhash64(long), xxhash64(`${long}y`));
  });
});
