// Which gRPC peers count as loopback for `xdsAuth: loopback-exempt`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopbackPeer, peerAddress } from '../../../src/xds/auth/loopback-peer.ts';

describe('isLoopbackPeer', () => {
  it('accepts 127.0.0.0/8, ::1 and IPv4-mapped loopback, with their ports', () => {
    for (const peer of [
      '127.0.0.1:53122',
      '127.8.9.10:1',
      '::1:40000',
      '[::1]:40000',
      '::ffff:127.0.0.1:5000',
    ])
      assert.equal(isLoopbackPeer(peer), true, peer);
  });

  it('refuses other addresses and anything it cannot read', () => {
    for (const peer of [
      '10.0.0.7:53122',
      '::ffff:10.0.0.7:1',
      'fe80::1:80',
      '128.0.0.1:1',
      'unknown',
      '',
      'localhost:80',
    ])
      assert.equal(isLoopbackPeer(peer), false, peer);
  });

  it('takes the port off IPv4 and IPv6 peers', () => {
    assert.equal(peerAddress('192.168.1.2:8080'), '192.168.1.2');
    assert.equal(peerAddress('2001:db8::5:443'), '2001:db8::5');
    assert.equal(peerAddress('[2001:db8::5]:443'), '2001:db8::5');
    // `::1:5` is an address of its own; with its port it is not loopback.
    assert.equal(peerAddress('::1:5:40000'), '::1:5');
    assert.equal(isLoopbackPeer('::1:5:40000'), false);
  });
});
