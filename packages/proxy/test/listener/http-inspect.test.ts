// The http_inspector's reader: h2c preface, HTTP/1.x request lines, and everything else, from partial input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HTTP2_PREFACE, inspectHttp } from '../../src/listener/http-inspect.ts';

const kind = (text: string | Buffer): string =>
  inspectHttp(typeof text === 'string' ? Buffer.from(text, 'latin1') : text).kind;

describe('HTTP inspection', () => {
  it('recognises the HTTP/2 preface, waiting for all of it', () => {
    assert.equal(kind(HTTP2_PREFACE), 'h2c');
    assert.equal(kind(HTTP2_PREFACE.subarray(0, 10)), 'need-more');
  });

  it('recognises HTTP/1.0 and HTTP/1.1 request lines', () => {
    assert.equal(kind('GET /x HTTP/1.1\r\nHost: a\r\n\r\n'), 'http/1.1');
    assert.equal(kind('POST / HTTP/1.0\r\n'), 'http/1.0');
    assert.equal(kind('GET / HTT'), 'need-more');
  });

  it('gives up on anything else quickly', () => {
    assert.equal(kind(Buffer.from([0x16, 3, 1])), 'not-http');
    assert.equal(kind('GET / HTTP/2.0\r\n'), 'not-http');
    assert.equal(kind('GET\r\n'), 'not-http');
    assert.equal(kind(' GET / HTTP/1.1\r\n'), 'not-http');
    assert.equal(kind(`GET /${'a'.repeat(9000)}`), 'not-http');
  });
});
