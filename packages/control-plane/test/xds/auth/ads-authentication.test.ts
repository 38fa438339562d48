// ADS streams prove who they are with a join token (`authorization: Bearer`), checked by the CA's verifier when
// the stream opens, and the node they announce must be that identity. Real gRPC on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { CLUSTER_TYPE_URL } from '@heddle/xds';
import {
  AuthStream,
  deltaRequest,
  sotwRequest,
  startAuthPlane,
  xdsNode,
  type AuthPlane,
} from './auth-test-kit.ts';

const SHOP_REVIEWS = xdsNode('sidecar', 'reviews', 'shop', 'reviews');

/** Opens a SotW stream, sends the node's first CDS request and returns the stream. */
function openSotw(plane: AuthPlane, authorization: string | undefined, node = SHOP_REVIEWS) {
  const stream = AuthStream.sotw(plane.cp.xdsPort, authorization);
  stream.write(sotwRequest({ node, typeUrl: CLUSTER_TYPE_URL }));
  return stream;
}

async function refusal(plane: AuthPlane, authorization: string | undefined, node = SHOP_REVIEWS) {
  const stream = openSotw(plane, authorization, node);
  try {
    return await stream.status();
  } finally {
    stream.close();
  }
}

describe('ADS authentication (xdsAuth required, the default with the CA)', { timeout: 60_000 }, () => {
  let plane: AuthPlane;
  let other: AuthPlane;
  let caNow = Date.now();

  before(async () => {
    // The CA's clock is the test's, so a token can be made to expire without waiting.
    plane = await startAuthPlane({ ca: { now: () => new Date(caNow) } });
    other = await startAuthPlane();
  });
  after(async () => {
    await plane?.close();
    await other?.close();
  });

  it('refuses a stream without a token with UNAUTHENTICATED and HEDDLE_XDS_UNAUTHENTICATED', async () => {
    const result = await refusal(plane, undefined);
    assert.equal(result.code, status.UNAUTHENTICATED);
    assert.match(result.details, /^HEDDLE_XDS_UNAUTHENTICATED: .*authorization: Bearer/);
    const logged = plane.logger.lines.find(
      (line) => line.message === 'refused an xDS stream' && line.fields.code === 'HEDDLE_XDS_UNAUTHENTICATED',
    );
    assert.ok(logged, 'the refusal is logged with its code');
  });

  it('refuses a Delta stream without a token as well', async () => {
    const stream = AuthStream.delta(plane.cp.xdsPort);
    try {
      stream.write(deltaRequest({ node: SHOP_REVIEWS, typeUrl: CLUSTER_TYPE_URL }));
      const result = await stream.status();
      assert.equal(result.code, status.UNAUTHENTICATED);
      assert.match(result.details, /^HEDDLE_XDS_UNAUTHENTICATED/);
    } finally {
      stream.close();
    }
  });

  it('refuses a token signed by another CA', async () => {
    const foreign = await other.token('shop', 'reviews');
    const result = await refusal(plane, `Bearer ${foreign}`);
    assert.equal(result.code, status.UNAUTHENTICATED);
    assert.match(result.details, /^HEDDLE_XDS_UNAUTHENTICATED: .*signature does not verify/);
  });

  it('refuses a tampered token and one that is not a JWT', async () => {
    const token = await plane.token('shop', 'reviews');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, ns: 'istio-system' })).toString('base64url');
    for (const bad of [`${header}.${forged}.${signature}`, 'not-a-token']) {
      const result = await refusal(plane, `Bearer ${bad}`);
      assert.equal(result.code, status.UNAUTHENTICATED, bad);
      assert.match(result.details, /^HEDDLE_XDS_UNAUTHENTICATED/);
    }
  });

  it('refuses authorization metadata that is not a bearer token', async () => {
    const result = await refusal(plane, 'Basic cmV2aWV3czpwYXNz');
    assert.equal(result.code, status.UNAUTHENTICATED);
    assert.match(result.details, /^HEDDLE_XDS_UNAUTHENTICATED: .*Bearer/);
  });

  it('refuses an expired token', async () => {
    const token = await plane.token('shop', 'reviews', 60);
    caNow += 3600_000;
    try {
      const result = await refusal(plane, `Bearer ${token}`);
      assert.equal(result.code, status.UNAUTHENTICATED);
      assert.match(result.details, /^HEDDLE_XDS_UNAUTHENTICATED: .*expired/);
    } finally {
      caNow -= 3600_000;
    }
  });

  it('refuses a node whose namespace is not the token’s with PERMISSION_DENIED', async () => {
    const token = await plane.token('shop', 'reviews');
    const result = await refusal(
      plane,
      `Bearer ${token}`,
      xdsNode('sidecar', 'reviews', 'payments', 'reviews'),
    );
    assert.equal(result.code, status.PERMISSION_DENIED);
    assert.match(
      result.details,
      /^HEDDLE_XDS_IDENTITY_MISMATCH: .*namespace "payments".*token is for namespace "shop"/,
    );
  });

  it('refuses a node whose service account is not the token’s', async () => {
    const token = await plane.token('shop', 'reviews');
    const result = await refusal(plane, `Bearer ${token}`, xdsNode('sidecar', 'reviews', 'shop', 'admin'));
    assert.equal(result.code, status.PERMISSION_DENIED);
    assert.match(result.details, /^HEDDLE_XDS_IDENTITY_MISMATCH: .*service account "admin"/);
  });

  it('compares the defaults the translator would use: no SERVICE_ACCOUNT means "default"', async () => {
    const token = await plane.token('shop', 'reviews');
    const result = await refusal(plane, `Bearer ${token}`, xdsNode('sidecar', 'reviews', 'shop'));
    assert.equal(result.code, status.PERMISSION_DENIED);
    assert.match(result.details, /service account "default"/);
  });

  it('serves a node whose token proves its namespace and service account (SotW and Delta)', async () => {
    const token = await plane.token('shop', 'reviews');
    const sotw = openSotw(plane, `Bearer ${token}`);
    const delta = AuthStream.delta(plane.cp.xdsPort, `bearer ${token}`);
    try {
      delta.write(deltaRequest({ node: SHOP_REVIEWS, typeUrl: CLUSTER_TYPE_URL }));
      assert.equal((await sotw.next()).typeUrl, CLUSTER_TYPE_URL);
      assert.equal((await delta.next()).typeUrl, CLUSTER_TYPE_URL);
    } finally {
      sotw.close();
      delta.close();
    }
  });

  it('handles requests sent before the token was verified, in order', async () => {
    const token = await plane.token('shop', 'reviews');
    const stream = AuthStream.sotw(plane.cp.xdsPort, `Bearer ${token}`);
    try {
      stream.write(sotwRequest({ node: SHOP_REVIEWS, typeUrl: CLUSTER_TYPE_URL }));
      stream.write(sotwRequest({ typeUrl: 'type.googleapis.com/envoy.config.listener.v3.Listener' }));
      const first = await stream.next();
      const second = await stream.next();
      assert.deepEqual(
        [first.typeUrl, second.typeUrl],
        [CLUSTER_TYPE_URL, 'type.googleapis.com/envoy.config.listener.v3.Listener'],
      );
    } finally {
      stream.close();
    }
  });
});

describe('ADS authentication (xdsAuth loopback-exempt)', { timeout: 60_000 }, () => {
  let plane: AuthPlane;

  before(async () => {
    plane = await startAuthPlane({ xdsAuth: 'loopback-exempt' });
  });
  after(async () => plane?.close());

  it('serves a loopback stream without a token', async () => {
    const stream = openSotw(plane, undefined, xdsNode('sidecar', 'tool', 'default'));
    try {
      assert.equal((await stream.next()).typeUrl, CLUSTER_TYPE_URL);
    } finally {
      stream.close();
    }
  });

  it('still refuses a token that does not verify, and a node that is not its token', async () => {
    const bad = await refusal(plane, 'Bearer not-a-token');
    assert.equal(bad.code, status.UNAUTHENTICATED);
    const token = await plane.token('shop', 'reviews');
    const mismatch = await refusal(
      plane,
      `Bearer ${token}`,
      xdsNode('sidecar', 'reviews', 'istio-system', 'reviews'),
    );
    assert.equal(mismatch.code, status.PERMISSION_DENIED);
    assert.match(mismatch.details, /^HEDDLE_XDS_IDENTITY_MISMATCH/);
  });
});

describe('xdsAuth option', { timeout: 30_000 }, () => {
  it('is off with `ca: false`, and asking for authentication without the CA stops the start', async () => {
    for (const xdsAuth of ['required', 'loopback-exempt'] as const) {
      await assert.rejects(startAuthPlane({ ca: false, xdsAuth }), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'HEDDLE_CA_DISABLED');
        assert.match(error.message, new RegExp(`xdsAuth "${xdsAuth}" needs the certificate authority`));
        return true;
      });
    }
    const plane = await startAuthPlane({ ca: false });
    try {
      const stream = openSotw(plane, undefined);
      try {
        assert.equal((await stream.next()).typeUrl, CLUSTER_TYPE_URL);
      } finally {
        stream.close();
      }
      assert.ok(
        plane.logger.lines.some((l) => l.message === 'xDS authentication' && l.fields.mode === 'off'),
      );
    } finally {
      await plane.close();
    }
  });

  it('names the mode in force when the control plane starts', async () => {
    const plane = await startAuthPlane();
    try {
      assert.ok(
        plane.logger.lines.some((l) => l.message === 'xDS authentication' && l.fields.mode === 'required'),
      );
    } finally {
      await plane.close();
    }
  });
});
