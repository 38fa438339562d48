// translateFault: Istio fault injection as Envoy HTTPFault, percentages in parts per million.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FractionalPercent_DenominatorType } from '@heddle/xds/gen/envoy/type/v3/percent_pb.ts';
import { ignoredFaultFields, translateFault } from '../../src/route/fault.ts';

describe('translateFault', () => {
  it('turns a fixed delay and its percentage into numerator value×10000 over a million', () => {
    const fault = translateFault({ delay: { fixedDelay: '5s', percentage: { value: 100 } } });
    assert.equal(fault?.delay?.faultDelaySecifier.case, 'fixedDelay');
    assert.equal(fault?.delay?.faultDelaySecifier.value?.seconds, 5n);
    assert.equal(fault?.delay?.percentage?.numerator, 1_000_000);
    assert.equal(fault?.delay?.percentage?.denominator, FractionalPercent_DenominatorType.MILLION);
    assert.equal(fault?.abort, undefined);
  });

  it('keeps fractional percentages exact', () => {
    assert.equal(
      translateFault({ abort: { httpStatus: 503, percentage: { value: 0.29 } } })?.abort?.percentage
        ?.numerator,
      2900,
    );
  });

  it('reads the deprecated integer percent of a delay', () => {
    assert.equal(
      translateFault({ delay: { fixedDelay: '1s', percent: 25 } })?.delay?.percentage?.numerator,
      250_000,
    );
  });

  it('aborts with an HTTP status or a gRPC status given by name', () => {
    assert.deepEqual(
      translateFault({ abort: { httpStatus: 418, percentage: { value: 1 } } })?.abort?.errorType,
      {
        case: 'httpStatus',
        value: 418,
      },
    );
    assert.deepEqual(
      translateFault({ abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 1 } } })?.abort?.errorType,
      {
        case: 'grpcStatus',
        value: 14,
      },
    );
  });

  it('makes an unset percentage an explicit 0%', () => {
    const percentage = translateFault({ abort: { httpStatus: 500 } })?.abort?.percentage;
    assert.equal(percentage?.numerator, 0);
    assert.equal(percentage?.denominator, FractionalPercent_DenominatorType.MILLION);
  });

  it('leaves out what Istio does not implement, and says so', () => {
    const fault = {
      delay: { exponentialDelay: '1s', percentage: { value: 50 } },
      abort: { http2Error: 'CANCEL' },
    };
    assert.equal(translateFault(fault), undefined);
    assert.deepEqual(ignoredFaultFields(fault), ['delay.exponentialDelay', 'abort.http2Error']);
    assert.deepEqual(ignoredFaultFields({ abort: { grpcStatus: 'NOPE' } }), [
      'abort.grpcStatus (NOPE is not a gRPC status name)',
    ]);
  });
});
