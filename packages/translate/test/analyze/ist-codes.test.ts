// The IST code table: Istio's codes where Heddle's own checks match istioctl analyze's, Heddle's otherwise.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IST_CODES, printedCode } from '../../src/index.ts';

describe('IST codes', () => {
  it("names the cross-resource analyzers' codes as istioctl does", () => {
    assert.deepEqual(IST_CODES, {
      REFERENCED_RESOURCE_NOT_FOUND: 'IST0101',
      CONFLICTING_MESH_GATEWAY_VIRTUAL_SERVICE_HOSTS: 'IST0109',
      NO_MATCHING_WORKLOADS_FOUND: 'IST0127',
    });
  });

  it('prints Istio codes for the validation rules that check the same thing', () => {
    const mapped = {
      HEDDLE_VIRTUALSERVICE_UNREACHABLE_RULE: 'IST0130',
      HEDDLE_VIRTUALSERVICE_INEFFECTIVE_MATCH: 'IST0131',
      HEDDLE_SERVICE_ENTRY_ADDRESSES_REQUIRED: 'IST0134',
      HEDDLE_ENVOY_FILTER_RELATIVE_OPERATION: 'IST0151',
      HEDDLE_ENVOY_FILTER_REPLACE_MISUSED: 'IST0152',
      HEDDLE_ENVOY_FILTER_ADD_IGNORED: 'IST0153',
      HEDDLE_ENVOY_FILTER_REMOVE_IGNORED: 'IST0154',
      HEDDLE_ENVOY_FILTER_RELATIVE_WITH_PROXY_VERSION: 'IST0155',
    };
    for (const [heddle, istio] of Object.entries(mapped)) assert.equal(printedCode(heddle), istio);
  });

  it("keeps Heddle's code, and codes that already are Istio's, unchanged", () => {
    assert.equal(printedCode('HEDDLE_DURATION_INVALID'), 'HEDDLE_DURATION_INVALID');
    assert.equal(printedCode('IST0101'), 'IST0101');
  });
});
