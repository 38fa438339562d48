// Envoy retry policies as gRPC clients read them: gRPC status names only, never `num_retries: 0`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create } from '@bufbuild/protobuf';
import { durationFromMs } from '@bufbuild/protobuf/wkt';
import { RetryPolicySchema } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { grpcRetryPolicy } from '../../src/grpc/grpc-retry.ts';
import { retryPolicy } from '../../src/route/retry-policy.ts';

describe('gRPC retry policy', () => {
  it("turns Istio's mesh default into 2 retries on unavailable and cancelled", () => {
    const { policy } = grpcRetryPolicy(retryPolicy(undefined, false));
    assert.equal(policy?.retryOn, 'unavailable,cancelled');
    assert.equal(policy?.numRetries, 2);
    assert.equal(policy?.retryBackOff, undefined);
    assert.deepEqual(policy?.retryHostPredicate, []);
    assert.deepEqual(policy?.retriableStatusCodes, []);
  });

  it('gives no policy for attempts: 0 or no policy at all', () => {
    assert.equal(grpcRetryPolicy(retryPolicy({ attempts: 0 }, false)).policy, undefined);
    assert.equal(grpcRetryPolicy(undefined).policy, undefined);
    assert.equal(
      grpcRetryPolicy(create(RetryPolicySchema, { retryOn: 'unavailable', numRetries: 0 })).policy,
      undefined,
    );
  });

  it('keeps gRPC conditions, attempts and back-off; drops HTTP conditions and status codes', () => {
    const retry = grpcRetryPolicy(
      retryPolicy(
        { attempts: 4, retryOn: '5xx,unavailable,503,deadline-exceeded,unavailable', backoff: '20ms' },
        false,
      ),
    );
    assert.equal(retry.policy?.retryOn, 'unavailable,deadline-exceeded');
    assert.equal(retry.policy?.numRetries, 4);
    assert.deepEqual(retry.policy?.retryBackOff?.baseInterval, durationFromMs(20));
    assert.equal(retry.noGrpcCondition, false);
  });

  it('reports retries on HTTP conditions only, and per-try timeouts, which gRPC does not know', () => {
    const retry = grpcRetryPolicy(
      retryPolicy({ attempts: 2, retryOn: '5xx,gateway-error', perTryTimeout: '1s' }, false),
    );
    assert.equal(retry.policy, undefined);
    assert.equal(retry.noGrpcCondition, true);
    assert.equal(retry.perTryTimeout, true);
  });

  it('leaves out a zero back-off, which gRPC clients NACK', () => {
    const retry = grpcRetryPolicy(retryPolicy({ attempts: 2, retryOn: 'unavailable', backoff: '0s' }, false));
    assert.equal(retry.policy?.retryBackOff, undefined);
  });
});
