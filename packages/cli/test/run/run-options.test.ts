// The pieces of `heddle run` that need no process: labels, port specs, the sidecar's bootstrap (as the
// proxy parses it) and the app's environment.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBootstrap } from '@heddle/proxy';
import { UsageError } from '../../src/usage-error.ts';
import { appEnv } from '../../src/run/app-env.ts';
import { parseLabels } from '../../src/run/parse-labels.ts';
import { checkPortSpecs, parsePortSpec } from '../../src/run/parse-port-spec.ts';
import { sidecarBootstrap } from '../../src/run/sidecar-bootstrap.ts';

describe('heddle run options', () => {
  it('reads labels in Kubernetes syntax, prefixes included', () => {
    assert.deepEqual(parseLabels('app=product,version=v2, security.istio.io/tlsMode=istio,empty='), {
      app: 'product',
      version: 'v2',
      'security.istio.io/tlsMode': 'istio',
      empty: '',
    });
    for (const bad of ['app', '=v1', 'app=a b', '-app=x', `app=${'x'.repeat(64)}`])
      assert.throws(() => parseLabels(bad), UsageError, bad);
  });

  it('reads ports as [name=]N[:appPort], 0 meaning any free port', () => {
    assert.deepEqual(parsePortSpec('9080'), { name: 'http', meshPort: 9080, appPort: 0 });
    assert.deepEqual(parsePortSpec('grpc=9090:50051'), { name: 'grpc', meshPort: 9090, appPort: 50051 });
    assert.deepEqual(parsePortSpec('0'), { name: 'http', meshPort: 0, appPort: 0 });
    for (const bad of ['', 'http', '70000', '80:', 'Http=80', '80:99999'])
      assert.throws(() => parsePortSpec(bad), UsageError, bad);
    assert.throws(
      () => checkPortSpecs([parsePortSpec('80'), parsePortSpec('81')]),
      /two ports are named 'http'/,
    );
  });

  it('writes a sidecar bootstrap the proxy accepts: explicit capture, app ports, the join token', () => {
    const bootstrap = parseBootstrap(
      sidecarBootstrap({
        name: 'product-v1',
        namespace: 'ecommerce',
        serviceAccount: 'product',
        labels: { app: 'product', version: 'v1' },
        address: '127.0.0.1',
        xdsAddress: '127.0.0.1:15010',
        outboundPort: 41000,
        appPorts: new Map([[42000, 43000]]),
        adminPort: 44000,
        healthPort: 45000,
        joinToken: 'token-from-registration',
      }),
    );
    assert.equal(bootstrap.node.id, 'sidecar~127.0.0.1~product-v1.ecommerce~ecommerce.svc.cluster.local');
    assert.deepEqual(bootstrap.node.metadata, {
      NAMESPACE: 'ecommerce',
      WORKLOAD_NAME: 'product-v1',
      SERVICE_ACCOUNT: 'product',
      LABELS: { app: 'product', version: 'v1' },
      INSTANCE_IPS: '127.0.0.1',
      HEDDLE_CAPTURE: 'explicit',
      HEDDLE_OUTBOUND_PORT: '41000',
      HEDDLE_APP_PORTS: '42000=43000',
      HEDDLE_METRICS_URL: 'http://127.0.0.1:44000/stats/prometheus',
    });
    assert.deepEqual(bootstrap.health, { address: '127.0.0.1', port: 45000 });
    assert.equal(bootstrap.ca?.token, 'token-from-registration');
  });

  it('gives the app its port, its sidecar as HTTP proxy except for loopback, and who it is', () => {
    const env = appEnv(
      { PATH: '/bin', NODE_TEST_CONTEXT: 'child' },
      {
        name: 'product-v1',
        namespace: 'ecommerce',
        serviceAccount: 'product',
        appPort: 43000,
        appPorts: new Map([[42000, 43000]]),
        outboundPort: 41000,
        adminPort: 44000,
        controlPlaneUrl: 'http://127.0.0.1:15014',
      },
    );
    assert.equal(env.PATH, '/bin');
    assert.equal(env.PORT, '43000');
    assert.equal(env.HTTP_PROXY, 'http://127.0.0.1:41000');
    assert.equal(env.https_proxy, 'http://127.0.0.1:41000');
    assert.match(env.NO_PROXY ?? '', /^localhost,127\.0\.0\.1,::1/);
    assert.equal(env.HEDDLE_WORKLOAD_NAME, 'product-v1');
    assert.equal(env.HEDDLE_APP_PORTS, '42000=43000');
    assert.equal(env.NODE_TEST_CONTEXT, undefined);
  });
});
