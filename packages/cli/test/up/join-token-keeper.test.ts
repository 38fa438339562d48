// The join token file of a proxy started by heddle (gateways, `heddle run` sidecars): written owner-only, replaced
// at half the token's life or on demand, with the lifetime asked for; no file without a CA, and a clear refusal.
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { silentLogger, startControlPlane } from '@heddle/control-plane';
import { keepJoinToken, tokenRefreshDelayMs } from '../../src/up/join-token-keeper.ts';
import { startTestControlPlane } from '../helpers/control-plane.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const IDENTITY = { namespace: 'istio-system', serviceAccount: 'istio-egressgateway-service-account' };

describe('join token keeper', () => {
  it('writes a token of the asked lifetime, owner-only, and replaces it on refresh', async (t) => {
    const cp = await startTestControlPlane(t);
    const tokenFile = join(await tempDir(t), 'join-token');
    const keeper = await keepJoinToken({
      controlPlaneUrl: cp.url,
      tokenFile,
      identity: IDENTITY,
      ttlSeconds: 60,
    });
    assert.ok(keeper);
    t.after(() => keeper.close());
    assert.equal((await stat(tokenFile)).mode & 0o777, 0o600);
    const first = (await readFile(tokenFile, 'utf8')).trim();
    const claims = decodeJwt(first);
    assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), 60);
    assert.equal(claims.sub, 'system:serviceaccount:istio-system:istio-egressgateway-service-account');
    // Replaced at half its life: 30 s for a one-minute token.
    assert.equal(tokenRefreshDelayMs(first), 30_000);

    assert.equal(await keeper.refresh(), true);
    const second = (await readFile(tokenFile, 'utf8')).trim();
    assert.notEqual(decodeJwt(second).jti, claims.jti);

    await keeper.use('given.by.registration');
    assert.equal((await readFile(tokenFile, 'utf8')).trim(), 'given.by.registration');
  });

  it('replaces week-long tokens daily, and unreadable ones daily too', () => {
    const week = (iat: number): string =>
      `e30.${Buffer.from(JSON.stringify({ iat, exp: iat + 7 * 86_400 })).toString('base64url')}.sig`;
    assert.equal(tokenRefreshDelayMs(week(1_700_000_000)), 24 * 3600 * 1000);
    assert.equal(tokenRefreshDelayMs('not-a-jwt'), 24 * 3600 * 1000);
  });

  it('writes nothing when the control plane runs no CA, and says why a request is refused', async (t) => {
    const plane = await startControlPlane({
      dataDir: await tempDir(t),
      xdsAddress: '127.0.0.1:0',
      httpAddress: '127.0.0.1:0',
      logger: silentLogger,
      ca: false,
    });
    t.after(() => plane.close());
    const dir = await tempDir(t);
    const none = await keepJoinToken({
      controlPlaneUrl: `http://127.0.0.1:${plane.httpPort}`,
      tokenFile: join(dir, 'join-token'),
      identity: IDENTITY,
    });
    assert.equal(none, undefined);
    await assert.rejects(stat(join(dir, 'join-token')), { code: 'ENOENT' });

    const cp = await startTestControlPlane(t);
    await assert.rejects(
      keepJoinToken({
        controlPlaneUrl: cp.url,
        tokenFile: join(dir, 'join-token'),
        identity: IDENTITY,
        ttlSeconds: 5,
      }),
      /the control plane refused a join token: ttlSeconds must be a whole number between 60/,
    );
  });
});
