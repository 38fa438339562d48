// retryPolicy: Istio's default retries, retryOn parsing, and the settings that change the Envoy policy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RETRY_ON, parseRetryOn, retryPolicy } from '../../src/route/retry-policy.ts';

describe('retryPolicy', () => {
  it('applies Istio mesh defaults when a rule sets no retries', () => {
    const policy = retryPolicy(undefined, false);
    assert.equal(
      policy?.retryOn,
      'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
    );
    assert.equal(policy?.numRetries, 2);
    assert.deepEqual(policy?.retriableStatusCodes, [503]);
    assert.equal(policy?.hostSelectionRetryMaxAttempts, 5n);
    assert.deepEqual(
      policy?.retryHostPredicate.map((p) => p.name),
      ['envoy.retry_host_predicates.previous_hosts'],
    );
  });

  it('has no policy at all for attempts 0', () => {
    assert.equal(retryPolicy({ attempts: 0 }, false), undefined);
  });

  it('keeps the default conditions when only attempts and perTryTimeout are set', () => {
    const policy = retryPolicy({ attempts: 3, perTryTimeout: '10s' }, false);
    assert.equal(policy?.retryOn, DEFAULT_RETRY_ON);
    assert.equal(policy?.numRetries, 3);
    assert.equal(policy?.perTryTimeout?.seconds, 10n);
  });

  it('stays on the hashed host under consistent hashing', () => {
    const policy = retryPolicy(undefined, true);
    assert.deepEqual(policy?.retryHostPredicate, []);
    assert.equal(policy?.hostSelectionRetryMaxAttempts, 0n);
  });

  it('adds previous_priorities for retryRemoteLocalities', () => {
    assert.equal(
      retryPolicy({ attempts: 2, retryRemoteLocalities: true }, false)?.retryPriority?.name,
      'envoy.retry_priorities.previous_priorities',
    );
  });
});

describe('parseRetryOn', () => {
  it('splits status codes from conditions and adds retriable-status-codes', () => {
    assert.deepEqual(parseRetryOn('5xx, 503,gateway-error,429'), {
      retryOn: '5xx,gateway-error,retriable-status-codes',
      statusCodes: [503, 429],
    });
  });

  it('leaves a list without codes alone', () => {
    assert.deepEqual(parseRetryOn('reset,connect-failure'), {
      retryOn: 'reset,connect-failure',
      statusCodes: [],
    });
  });
});
