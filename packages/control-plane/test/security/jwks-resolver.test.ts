// The JWKS resolver against a real issuer on 127.0.0.1: fetches what RequestAuthentications name (directly or
// by OpenID discovery), refreshes, keeps the last good keys through failures and retries, forgets what is no
// longer named, and refuses link-local and (unless allowed) loopback addresses.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { JwksResolver } from '../../src/security/jwks-resolver.ts';
import { refusedAddress } from '../../src/security/jwks-address-policy.ts';
import { keySet, requestAuthentication, startJwksServer, type JwksServer } from './jwks-server.ts';

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('JWKS resolver', { timeout: 30_000 }, () => {
  let issuer: JwksServer;
  const resolvers: JwksResolver[] = [];
  const resolver = (options: ConstructorParameters<typeof JwksResolver>[0]) => {
    const r = new JwksResolver(options);
    resolvers.push(r);
    return r;
  };

  before(async () => {
    issuer = await startJwksServer();
  });
  after(async () => {
    for (const r of resolvers) r.close();
    await issuer.close();
  });

  it('fetches a loopback jwksUri when allowed, announces the change and exposes the key set', async () => {
    issuer.answer('/a/keys', keySet('a-1'));
    let changes = 0;
    const r = resolver({ allowLoopbackJwks: true, onChange: () => changes++ });
    const uri = `${issuer.url}/a/keys`;
    assert.equal(r.track([requestAuthentication('a', 'issuer-a', uri)]).size, 0);
    await r.settled();
    assert.equal(r.current().get(uri), keySet('a-1'));
    assert.equal(changes, 1);
    // Tracking again does not refetch.
    r.track([requestAuthentication('a', 'issuer-a', uri)]);
    await r.settled();
    assert.equal(issuer.hits.get('/a/keys'), 1);
  });

  it('refuses loopback unless allowed, without connecting', async () => {
    issuer.answer('/b/keys', keySet('b-1'));
    const r = resolver({ initialRetryMs: 60_000 });
    r.track([requestAuthentication('b', 'issuer-b', `${issuer.url}/b/keys`)]);
    await r.settled();
    assert.equal(r.current().size, 0);
    assert.equal(issuer.hits.get('/b/keys'), undefined);
  });

  it('refuses link-local and metadata addresses even with loopback allowed', async () => {
    const r = resolver({ allowLoopbackJwks: true, initialRetryMs: 60_000, fetchTimeoutMs: 500 });
    r.track([
      requestAuthentication('m', 'metadata', 'http://169.254.169.254/latest/keys'),
      requestAuthentication('l', 'link-local', 'http://[fe80::1]/keys'),
      requestAuthentication('x', 'mapped', 'http://[::ffff:169.254.169.254]/keys'),
    ]);
    await r.settled();
    assert.equal(r.current().size, 0);
    const policy = { allowLoopback: true };
    assert.match(refusedAddress('169.254.169.254', policy) ?? '', /link-local/);
    assert.match(refusedAddress('fe80::1', policy) ?? '', /link-local/);
    assert.match(refusedAddress('::ffff:169.254.1.1', policy) ?? '', /link-local/);
    assert.match(refusedAddress('fd00:ec2::254', policy) ?? '', /metadata/);
    assert.equal(refusedAddress('127.0.0.1', policy), undefined);
    assert.match(refusedAddress('127.0.0.1', { allowLoopback: false }) ?? '', /loopback/);
    assert.match(refusedAddress('::1', { allowLoopback: false }) ?? '', /loopback/);
    assert.match(refusedAddress('0.0.0.0', { allowLoopback: false }) ?? '', /loopback/);
    assert.equal(refusedAddress('203.0.113.7', { allowLoopback: false }), undefined);
  });

  it('refuses a hostname that resolves to loopback when loopback is not allowed', async () => {
    const r = resolver({ initialRetryMs: 60_000 });
    const port = new URL(issuer.url).port;
    issuer.answer('/h/keys', keySet('h-1'));
    r.track([requestAuthentication('h', 'issuer-h', `http://localhost:${port}/h/keys`)]);
    await r.settled();
    assert.equal(r.current().size, 0);
    assert.equal(issuer.hits.get('/h/keys'), undefined);
  });

  it('finds the key set through the issuer OpenID discovery document when no jwksUri is set', async () => {
    issuer.answer(
      '/d/.well-known/openid-configuration',
      JSON.stringify({ jwks_uri: `${issuer.url}/d/jwks` }),
    );
    issuer.answer('/d/jwks', keySet('d-1'));
    const r = resolver({ allowLoopbackJwks: true });
    r.track([requestAuthentication('d', `${issuer.url}/d`, undefined)]);
    await r.settled();
    assert.equal(r.current().get(`${issuer.url}/d/.well-known/openid-configuration`), keySet('d-1'));
  });

  it('keeps the last good key set through failed refreshes, retries with back-off, and takes the new one', async () => {
    issuer.answer('/r/keys', keySet('r-1'));
    let changes = 0;
    const r = resolver({
      allowLoopbackJwks: true,
      refreshIntervalMs: 30,
      initialRetryMs: 20,
      maxRetryMs: 40,
      onChange: () => changes++,
    });
    const uri = `${issuer.url}/r/keys`;
    r.track([requestAuthentication('r', 'issuer-r', uri)]);
    await until(() => r.current().has(uri), 'first fetch');
    issuer.answer('/r/keys', 500);
    const before = issuer.hits.get('/r/keys') ?? 0;
    await until(() => (issuer.hits.get('/r/keys') ?? 0) >= before + 3, 'retries after failures');
    assert.equal(r.current().get(uri), keySet('r-1'));
    issuer.answer('/r/keys', keySet('r-2'));
    await until(() => r.current().get(uri) === keySet('r-2'), 'rotated key set');
    assert.equal(changes, 2);
  });

  it('does not accept a document that is not a key set, or one that is too large', async () => {
    issuer.answer('/bad/keys', '{"issuer":"x"}');
    issuer.answer('/big/keys', JSON.stringify({ keys: [], pad: 'x'.repeat(4096) }));
    const r = resolver({ allowLoopbackJwks: true, initialRetryMs: 60_000, maxBytes: 1024 });
    r.track([
      requestAuthentication('bad', 'issuer-bad', `${issuer.url}/bad/keys`),
      requestAuthentication('big', 'issuer-big', `${issuer.url}/big/keys`),
    ]);
    await r.settled();
    assert.equal(r.current().size, 0);
  });

  it('forgets key sets no RequestAuthentication names any more', async () => {
    issuer.answer('/f/keys', keySet('f-1'));
    const r = resolver({ allowLoopbackJwks: true });
    const uri = `${issuer.url}/f/keys`;
    r.track([requestAuthentication('f', 'issuer-f', uri)]);
    await r.settled();
    assert.ok(r.current().has(uri));
    assert.equal(r.track([]).size, 0);
  });

  it('gives up on an issuer that does not answer in time', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const r = resolver({ allowLoopbackJwks: true, fetchTimeoutMs: 200, initialRetryMs: 60_000 });
      r.track([requestAuthentication('s', 'issuer-s', `http://127.0.0.1:${port}/keys`)]);
      await r.settled();
      assert.equal(r.current().size, 0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
