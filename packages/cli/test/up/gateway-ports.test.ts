// How Gateway ports map to local ports on one machine, and the data directory's default place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBootstrap } from '@heddle/proxy';
import { resolveDataHome } from '../../src/up/data-home.ts';
import { gatewayBootstrap } from '../../src/up/gateway-bootstrap.ts';
import { gatewayPortOffset, localGatewayPort } from '../../src/up/gateway-port-map.ts';

describe('gateway ports on one machine', () => {
  it('moves ports below 1024 by the distance from 80 to --gateway-port, and keeps the others', () => {
    const offset = gatewayPortOffset(8080);
    assert.equal(offset, 8000);
    assert.deepEqual(
      [80, 443, 1023, 1024, 8443, 15443].map((port) => localGatewayPort(port, offset)),
      [8080, 8443, 9023, 1024, 8443, 15443],
    );
    assert.equal(localGatewayPort(443, gatewayPortOffset(9080)), 9443);
  });

  it('falls back to any free port when the moved port would not exist', () => {
    assert.equal(localGatewayPort(1000, gatewayPortOffset(65_500)), 0);
  });

  it('writes a bootstrap the proxy accepts: Istio’s ingress gateway identity, and the CA token file', () => {
    const bootstrap = parseBootstrap(
      gatewayBootstrap({
        address: '127.0.0.1',
        xdsAddress: '127.0.0.1:15010',
        adminPort: 15000,
        healthPort: 15021,
        tokenFile: '/tmp/heddle/gateway/join-token',
        listen: { address: '127.0.0.1', portOffset: gatewayPortOffset(8080) },
      }),
    );
    assert.equal(
      bootstrap.node.id,
      'router~127.0.0.1~istio-ingressgateway.istio-system~istio-system.svc.cluster.local',
    );
    assert.deepEqual(bootstrap.node.metadata.LABELS, {
      istio: 'ingressgateway',
      app: 'istio-ingressgateway',
    });
    assert.equal(bootstrap.node.metadata.NAMESPACE, 'istio-system');
    assert.deepEqual(bootstrap.controlPlane.addresses, ['127.0.0.1:15010']);
    assert.equal(bootstrap.ca?.tokenFile, '/tmp/heddle/gateway/join-token');
    assert.equal(bootstrap.listenerBind?.address, '127.0.0.1');
    assert.equal(bootstrap.listenerBind?.privilegedPortOffset, 8000);
  });
});

describe('the data directory', () => {
  it('is --data-dir, else $HEDDLE_HOME, else ~/.heddle', () => {
    assert.equal(
      resolveDataHome('state', { HEDDLE_HOME: '/srv/h' }, '/srv/project', '/home/me'),
      '/srv/project/state',
    );
    assert.equal(resolveDataHome(undefined, { HEDDLE_HOME: '/srv/h' }, '/srv/project', '/home/me'), '/srv/h');
    assert.equal(
      resolveDataHome(undefined, { HEDDLE_HOME: '' }, '/srv/project', '/home/me'),
      '/home/me/.heddle',
    );
  });
});
