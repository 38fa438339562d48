import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { principalProblem } from '../../../src/rules/common/principal.ts';

describe('principals', () => {
  it('accepts Istio identities and the exact, prefix, suffix and presence forms', () => {
    for (const value of [
      'cluster.local/ns/default/sa/productpage',
      'cluster.local/ns/default/*',
      '*/sa/productpage',
      '*',
      'example.org/workload/batch',
    ]) {
      assert.equal(principalProblem(value), undefined, value);
    }
  });

  it('rejects the spiffe:// prefix, which Istio adds itself', () => {
    assert.equal(principalProblem('spiffe://cluster.local/ns/default/sa/a')?.level, 'Error');
    assert.equal(principalProblem('SPIFFE://cluster.local/ns/default/sa/a')?.level, 'Error');
  });

  it('rejects an empty principal', () => {
    assert.equal(principalProblem('')?.level, 'Error');
  });

  it('warns about a wildcard in the middle, which is matched literally', () => {
    assert.equal(principalProblem('cluster.local/ns/*/sa/reader')?.level, 'Warning');
  });

  it('warns about bare names and malformed Istio identities', () => {
    assert.equal(principalProblem('productpage')?.level, 'Warning');
    assert.equal(principalProblem('cluster.local/ns/default/productpage')?.level, 'Warning');
    assert.equal(principalProblem('cluster.local/ns/Default/sa/a')?.level, 'Warning');
  });
});
