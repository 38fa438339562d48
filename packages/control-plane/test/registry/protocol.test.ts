// Protocol selection follows Istio's table: appProtocol, then the port name's prefix; unknown means TCP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProtocol, selectProtocol, type PortDeclaration } from '../../src/index.ts';

describe('selectProtocol', () => {
  const table: [PortDeclaration, string][] = [
    [{ name: 'http' }, 'HTTP'],
    [{ name: 'http-web' }, 'HTTP'],
    [{ name: 'HTTP-Web' }, 'HTTP'],
    [{ name: 'http2-api' }, 'HTTP2'],
    [{ name: 'https-admin' }, 'HTTPS'],
    [{ name: 'grpc' }, 'GRPC'],
    [{ name: 'grpc-internal' }, 'GRPC'],
    [{ name: 'grpc-web' }, 'GRPC-WEB'],
    [{ name: 'grpc-web-ui' }, 'GRPC-WEB'],
    [{ name: 'tcp-metrics' }, 'TCP'],
    [{ name: 'tls-passthrough' }, 'TLS'],
    [{ name: 'mongo-primary' }, 'MONGO'],
    [{ name: 'redis' }, 'REDIS'],
    [{ name: 'mysql-db' }, 'MYSQL'],
    [{ name: 'udp-dns' }, 'UDP'],
    [{}, 'TCP'],
    [{ name: '' }, 'TCP'],
    [{ name: 'web' }, 'TCP'],
    [{ name: 'httpx' }, 'TCP'],
    [{ name: 'database', appProtocol: 'mysql' }, 'MYSQL'],
    [{ name: 'http-web', appProtocol: 'grpc' }, 'GRPC'],
    [{ name: 'http', appProtocol: 'custom.example/thing' }, 'TCP'],
    [{ name: 'api', appProtocol: 'kubernetes.io/h2c' }, 'HTTP2'],
    [{ name: 'events', appProtocol: 'kubernetes.io/ws' }, 'HTTP'],
    [{ name: 'http', protocol: 'UDP' }, 'UDP'],
    [{ name: 'http', protocol: 'TCP' }, 'HTTP'],
  ];
  for (const [port, expected] of table) {
    it(`${JSON.stringify(port)} → ${expected}`, () => {
      assert.equal(selectProtocol(port), expected);
    });
  }
});

describe('parseProtocol', () => {
  it('reads ServiceEntry protocol names case-insensitively', () => {
    assert.equal(parseProtocol('HTTP'), 'HTTP');
    assert.equal(parseProtocol('grpc-web'), 'GRPC-WEB');
    assert.equal(parseProtocol('Mongo'), 'MONGO');
  });

  it('returns undefined for names Istio does not know', () => {
    assert.equal(parseProtocol('HTTP_PROXY'), undefined);
    assert.equal(parseProtocol('thrift'), undefined);
    assert.equal(parseProtocol(undefined), undefined);
  });
});
