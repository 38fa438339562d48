// Which proxies get the proxyless gRPC generator, and the warnings it gives for what gRPC clients cannot apply.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sidecarNode, snapshotFromYaml, translateCase } from '@heddle/testkit';
import { translateProxy } from '@heddle/translate';
import { GRPC_WARNINGS } from '../../src/grpc/warning-codes.ts';
import { grpcCase } from './grpc-cases.ts';

const routingInput = readFileSync(join(grpcCase('grpc-routing'), 'input.yaml'), 'utf8');

describe('proxyless gRPC generator', () => {
  it('serves nodes whose metadata says GENERATOR: grpc, and no others', () => {
    const snapshot = snapshotFromYaml(routingInput);
    const grpc = translateProxy(snapshot, sidecarNode({ metadata: { GENERATOR: 'grpc' } }));
    assert.deepEqual(
      grpc.listeners.map((l) => [l.name, l.apiListener !== undefined]),
      [['echo.grpc.test:7070', true]],
    );
    assert.deepEqual(
      grpc.routes.map((r) => r.name),
      ['echo.grpc.test:7070'],
    );
    for (const metadata of [{}, { GENERATOR: 'envoy' }] as Record<string, string>[]) {
      const envoy = translateProxy(snapshot, sidecarNode({ metadata }));
      assert.ok(envoy.listeners.some((l) => l.name === 'virtualOutbound'));
      assert.ok(envoy.listeners.every((l) => l.apiListener === undefined));
    }
  });

  it('translates a VirtualService gRPC can take without a warning', () => {
    assert.deepEqual(translateCase(grpcCase('grpc-routing')).warnings, []);
  });

  it('warns once for each thing it leaves out, naming the resource', () => {
    const warnings = translateCase(grpcCase('grpc-unsupported')).warnings.map((w) => [
      w.code,
      w.resource ?? '',
      w.message.replace(/ of api\.grpc\.test:8080| of api\.grpc\.test/, ''),
    ]);
    const vs = 'VirtualService default/api';
    const dr = 'DestinationRule default/api';
    const expected = [
      [GRPC_WARNINGS.UNREACHABLE, 'ServiceEntry default/passthrough', /resolution NONE/],
      [GRPC_WARNINGS.UNSUPPORTED_FIELD, dr, /loadBalancer\.simple LEAST_REQUEST \(ROUND_ROBIN is used\)$/],
      [GRPC_WARNINGS.UNSUPPORTED_FIELD, dr, /outlierDetection consecutive error thresholds/],
      [GRPC_WARNINGS.UNSUPPORTED_FIELD, dr, /tls mode SIMPLE/],
      [
        'HEDDLE_TRANSLATE_DNS_ROUND_ROBIN_ENDPOINTS',
        'ServiceEntry default/external',
        /resolve one, a\.external/,
      ],
      [GRPC_WARNINGS.UNREACHABLE, 'ServiceEntry default/api', /unix:\/\/\/var\/run\/api\.sock/],
      [GRPC_WARNINGS.ROUTE_SKIPPED, vs, /^route moved is a redirect/],
      [GRPC_WARNINGS.ROUTE_SKIPPED, vs, /^route static is a direct response/],
      [GRPC_WARNINGS.ROUTE_SKIPPED, vs, /^route by-query matches query parameters/],
      [
        GRPC_WARNINGS.UNSUPPORTED_FIELD,
        vs,
        /^route extras: .*mirror, rewrite, headers, corsPolicy, retries\.perTryTimeout, consistentHash by cookie/,
      ],
      [GRPC_WARNINGS.UNSUPPORTED_FIELD, vs, /^route extras retries on 5xx,gateway-error, none of which/],
    ] as const;
    assert.equal(warnings.length, expected.length, JSON.stringify(warnings, null, 2));
    expected.forEach(([code, resource, message], i) => {
      assert.equal(warnings[i]?.[0], code, `warning ${i}`);
      assert.equal(warnings[i]?.[1], resource, `warning ${i}`);
      assert.match(warnings[i]?.[2] ?? '', message, `warning ${i}`);
    });
  });
});
