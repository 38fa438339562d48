import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAccessLogFormat, type AccessLogFormatError } from '../../src/index.ts';

function errorOf(text: string): AccessLogFormatError {
  const result = parseAccessLogFormat(text);
  assert.ok('error' in result, `expected an error for ${text}`);
  return result;
}

describe('parseAccessLogFormat', () => {
  it('splits a format into literal text and operators', () => {
    assert.deepEqual(parseAccessLogFormat('[%START_TIME%] %RESPONSE_CODE%\n'), {
      parts: [
        { kind: 'literal', text: '[' },
        { kind: 'operator', name: 'START_TIME' },
        { kind: 'literal', text: '] ' },
        { kind: 'operator', name: 'RESPONSE_CODE' },
        { kind: 'literal', text: '\n' },
      ],
    });
  });

  it('reads header operators with an alternative header and a length limit', () => {
    assert.deepEqual(parseAccessLogFormat('%REQ(X-ENVOY-ORIGINAL-PATH?:PATH):64%'), {
      parts: [
        {
          kind: 'operator',
          name: 'REQ',
          argument: 'X-ENVOY-ORIGINAL-PATH?:PATH',
          header: 'x-envoy-original-path',
          alternative: ':path',
          maxLength: 64,
        },
      ],
    });
  });

  it('keeps a START_TIME format that itself contains % signs', () => {
    assert.deepEqual(parseAccessLogFormat('%START_TIME(%Y-%m-%dT%H:%M:%S%z)%'), {
      parts: [{ kind: 'operator', name: 'START_TIME', argument: '%Y-%m-%dT%H:%M:%S%z' }],
    });
  });

  it("accepts Envoy's default format", () => {
    const text =
      '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME% %TRAILER(GRPC-STATUS)%\n';
    assert.ok('parts' in parseAccessLogFormat(text));
  });

  it('accepts metadata and filter-state operators with arguments', () => {
    assert.ok(
      'parts' in
        parseAccessLogFormat('%DYNAMIC_METADATA(istio.mixer:status)% %FILTER_STATE(upstream_peer:PLAIN):32%'),
    );
  });

  it('names an unknown operator and suggests the closest one', () => {
    const error = errorOf('code=%RESPONSE_COD%');
    assert.match(error.error, /unknown command operator %RESPONSE_COD%; did you mean %RESPONSE_CODE%\?/);
    assert.equal(error.offset, 5);
  });

  it('says operator names are upper-case', () => {
    assert.match(errorOf('%req(:method)%').error, /upper-case: %REQ%/);
  });

  it('rejects a % that opens no operator', () => {
    const error = errorOf('100% done');
    assert.match(error.error, /does not start a command operator/);
    assert.equal(error.offset, 3);
  });

  it('rejects an operator that is never closed', () => {
    assert.match(errorOf('%RESPONSE_CODE done').error, /%RESPONSE_CODE is not closed/);
  });

  it('rejects an argument without its closing parenthesis', () => {
    assert.match(errorOf('%REQ(:METHOD%').error, /%REQ\( has no closing "\)"/);
  });

  it('rejects a header operator without a header', () => {
    assert.match(errorOf('%REQ%').error, /needs a header name/);
  });

  it('rejects more than one alternative header', () => {
    assert.match(errorOf('%REQ(A?B?C)%').error, /more than one alternative/);
  });

  it('rejects an argument on an operator that takes none', () => {
    assert.match(errorOf('%DURATION(ms)%').error, /%DURATION% takes no argument/);
  });

  it('rejects a length that is not a number', () => {
    assert.match(errorOf('%REQ(X):ten%').error, /must be followed by a length/);
  });

  it('rejects an unknown GRPC_STATUS format', () => {
    assert.match(errorOf('%GRPC_STATUS(LOUD)%').error, /CAMEL_STRING, SNAKE_STRING, NUMBER/);
  });
});
