// Field mappings of outlier detection, circuit breakers and upstream HTTP versions that golden files show
// only by example.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MESH_CONFIG } from '@heddle/api';
import { circuitBreakersFor, UNLIMITED } from '../../src/cluster/connection-pool.ts';
import { upstreamHttpVersion } from '../../src/cluster/http-protocol-options.ts';
import { healthyPanicThresholdFor, outlierDetectionFor } from '../../src/cluster/outlier-detection.ts';

describe('outlierDetectionFor', () => {
  it('is off without settings', () => {
    assert.equal(outlierDetectionFor(undefined), undefined);
    assert.equal(healthyPanicThresholdFor(undefined), undefined);
  });

  it('reads deprecated consecutiveErrors as gateway errors (Istio), with the 5xx detector off', () => {
    const out = outlierDetectionFor({ consecutiveErrors: 5 });
    assert.equal(out?.consecutiveGatewayFailure, 5);
    assert.equal(out?.enforcingConsecutiveGatewayFailure, 100);
    assert.equal(out?.enforcingConsecutive5xx, 0);
  });

  it('lets the newer fields win over the deprecated one', () => {
    const out = outlierDetectionFor({
      consecutiveErrors: 5,
      consecutive5xxErrors: 9,
      consecutiveGatewayErrors: 2,
    });
    assert.equal(out?.consecutive5xx, 9);
    assert.equal(out?.enforcingConsecutive5xx, 100);
    assert.equal(out?.consecutiveGatewayFailure, 2);
  });

  it('disables a detector set to 0 and never ejects on success rate', () => {
    const out = outlierDetectionFor({ consecutive5xxErrors: 0 });
    assert.equal(out?.consecutive5xx, 0);
    assert.equal(out?.enforcingConsecutive5xx, 0);
    assert.equal(out?.enforcingSuccessRate, 0);
  });

  it('sets the panic threshold from minHealthPercent, 0 (panic off) by default', () => {
    assert.equal(healthyPanicThresholdFor({}), 0);
    assert.equal(healthyPanicThresholdFor({ minHealthPercent: 30 }), 30);
  });
});

describe('circuitBreakersFor', () => {
  it('writes every threshold out, 2^32-1 where unset', () => {
    assert.deepEqual(circuitBreakersFor(undefined).thresholds, [
      {
        maxConnections: UNLIMITED,
        maxPendingRequests: UNLIMITED,
        maxRequests: UNLIMITED,
        maxRetries: UNLIMITED,
        trackRemaining: true,
      },
    ]);
  });

  it('maps tcp.maxConnections, http1MaxPendingRequests, http2MaxRequests and maxRetries', () => {
    const [threshold] =
      circuitBreakersFor({
        tcp: { maxConnections: 1 },
        http: { http1MaxPendingRequests: 2, http2MaxRequests: 3, maxRetries: 4 },
      }).thresholds ?? [];
    assert.equal(threshold?.maxConnections, 1);
    assert.equal(threshold?.maxPendingRequests, 2);
    assert.equal(threshold?.maxRequests, 3);
    assert.equal(threshold?.maxRetries, 4);
  });
});

describe('upstreamHttpVersion', () => {
  const mesh = DEFAULT_MESH_CONFIG;
  it('speaks HTTP/2 to HTTP2 and gRPC ports', () => {
    assert.equal(upstreamHttpVersion('GRPC', undefined, mesh), 'http2');
    assert.equal(upstreamHttpVersion('HTTP2', undefined, mesh), 'http2');
  });
  it('upgrades HTTP ports by the rule, or by meshConfig when the rule says DEFAULT', () => {
    assert.equal(upstreamHttpVersion('HTTP', undefined, mesh), 'http1');
    assert.equal(upstreamHttpVersion('HTTP', { http: { h2UpgradePolicy: 'UPGRADE' } }, mesh), 'http2');
    const upgrading = { ...mesh, h2UpgradePolicy: 'UPGRADE' as const };
    assert.equal(upstreamHttpVersion('HTTP', undefined, upgrading), 'http2');
    assert.equal(
      upstreamHttpVersion('HTTP', { http: { h2UpgradePolicy: 'DO_NOT_UPGRADE' } }, upgrading),
      'http1',
    );
  });
  it('follows the client with useClientProtocol', () => {
    assert.equal(upstreamHttpVersion('HTTP', { http: { useClientProtocol: true } }, mesh), 'downstream');
  });
});
