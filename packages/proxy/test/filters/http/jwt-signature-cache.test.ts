// The verified-token cache that keeps jwt_authn synchronous for repeated tokens: bounded, least recently
// used first out, and never serving a token past its expiry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignatureCache } from '../../../src/filters/http/jwt-authn/signature-cache.ts';

describe('SignatureCache', () => {
  it('serves a token until its expiry, not after', () => {
    const cache = new SignatureCache(10);
    cache.add('t', 100);
    assert.equal(cache.has('t', 99), true);
    assert.equal(cache.has('t', 100), false);
    assert.equal(cache.has('t', 50), false, 'an expired entry is dropped');
  });

  it('holds at most its size, dropping the least recently used', () => {
    const cache = new SignatureCache(2);
    cache.add('a', Infinity);
    cache.add('b', Infinity);
    assert.equal(cache.has('a', 0), true);
    cache.add('c', Infinity);
    assert.equal(cache.size, 2);
    assert.equal(cache.has('b', 0), false);
    assert.equal(cache.has('a', 0), true);
    assert.equal(cache.has('c', 0), true);
  });
});
