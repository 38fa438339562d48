// The pure and in-process pieces of install: --set paths, overlaying IstioOperators, the plan, the revision's
// view of the store, and the xDS relay a proxy follows to another control plane.
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryConfigStore, type ChangeEvent } from '@heddle/control-plane';
import { parseBootstrap } from '@heddle/proxy';
import { extraGatewayBootstrap } from '../../src/install/extra-gateway.ts';
import { planInstall } from '../../src/install/install-plan.ts';
import { mergeOperatorSpecs } from '../../src/install/merge-operators.ts';
import { revisionStoreView } from '../../src/install/revision-store-view.ts';
import { applySetOverrides, parseSetOverride } from '../../src/install/set-overrides.ts';
import { startXdsRelay } from '../../src/install/xds-relay.ts';
import { UsageError } from '../../src/usage-error.ts';

describe('--set overrides', () => {
  it('reads paths with keys, indexes and name selectors, and typed values', () => {
    const spec = applySetOverrides({ components: { ingressGateways: [{ name: 'istio-ingressgateway' }] } }, [
      parseSetOverride('meshConfig.accessLogFile=/dev/stdout'),
      parseSetOverride('spec.meshConfig.defaultConfig.concurrency=2'),
      parseSetOverride('components.ingressGateways[name:istio-ingressgateway].enabled=false'),
      parseSetOverride('components.egressGateways[0].name=istio-egressgateway'),
      parseSetOverride('revision=1-13'),
    ]);
    assert.deepEqual(spec, {
      components: {
        ingressGateways: [{ name: 'istio-ingressgateway', enabled: false }],
        egressGateways: [{ name: 'istio-egressgateway' }],
      },
      meshConfig: { accessLogFile: '/dev/stdout', defaultConfig: { concurrency: 2 } },
      revision: '1-13',
    });
  });

  it('refuses a value without a path and a bracket that is neither index nor key:value', () => {
    assert.throws(() => parseSetOverride('=x'), UsageError);
    assert.throws(() => parseSetOverride('components.ingressGateways[first].enabled=true'), UsageError);
  });
});

describe('overlaying IstioOperators', () => {
  it('merges maps, replaces lists, and merges gateway entries by name', () => {
    const merged = mergeOperatorSpecs([
      {
        meshConfig: { accessLogFile: '/dev/stdout', extensionProviders: [{ name: 'a' }] },
        components: { ingressGateways: [{ name: 'istio-ingressgateway', k8s: { replicaCount: 2 } }] },
      },
      {
        meshConfig: { enableTracing: true, extensionProviders: [{ name: 'b' }] },
        components: {
          ingressGateways: [
            { name: 'istio-ingressgateway', enabled: false },
            { name: 'internal', enabled: true },
          ],
        },
      },
    ]);
    assert.deepEqual(merged, {
      meshConfig: { accessLogFile: '/dev/stdout', enableTracing: true, extensionProviders: [{ name: 'b' }] },
      components: {
        ingressGateways: [
          { name: 'istio-ingressgateway', k8s: { replicaCount: 2 }, enabled: false },
          { name: 'internal', enabled: true },
        ],
      },
    });
  });
});

describe('the install plan', () => {
  it('follows the profile for gateways and meshConfig, and the spec over it', () => {
    const demo = planInstall({ profile: 'demo' }, undefined);
    assert.deepEqual(
      demo.gateways.map((gateway) => [gateway.name, gateway.enabled]),
      [
        ['istio-ingressgateway', true],
        ['istio-egressgateway', true],
      ],
    );
    assert.deepEqual(demo.meshConfig, { accessLogFile: '/dev/stdout' });
    const minimal = planInstall({ profile: 'minimal', revision: '1-13' }, 'canary');
    assert.deepEqual(minimal.gateways, []);
    assert.equal(minimal.revision, '1-13');
    assert.equal(planInstall({ revision: '1-13' }, undefined, '').revision, '', '--revision default wins');
    const custom = planInstall(
      { components: { ingressGateways: [{ name: 'internal-gw', label: { istio: 'internal' } }] } },
      undefined,
    );
    assert.deepEqual(custom.gateways.find((gateway) => gateway.name === 'internal-gw')?.labels, {
      istio: 'internal',
      app: 'internal-gw',
    });
  });
});

describe('the bootstrap of an extra gateway', () => {
  it('is one heddle-proxy accepts: its identity, the token file, its listeners bound on the host', () => {
    const egress = planInstall({ profile: 'demo' }, undefined).gateways.find(
      (gateway) => gateway.kind === 'egress',
    );
    assert.ok(egress);
    const bootstrap = parseBootstrap(
      extraGatewayBootstrap({
        gateway: egress,
        address: '127.0.0.1',
        xdsAddress: '127.0.0.1:41000',
        adminPort: 41001,
        healthPort: 41002,
        portOffset: 41003 - 80,
        tokenFile: '/tmp/heddle/gateways/istio-egressgateway.istio-system/join-token',
      }),
    );
    assert.equal(
      bootstrap.node.id,
      'router~127.0.0.1~istio-egressgateway.istio-system~istio-system.svc.cluster.local',
    );
    assert.equal(bootstrap.node.metadata.SERVICE_ACCOUNT, 'istio-egressgateway-service-account');
    assert.deepEqual(bootstrap.node.metadata.LABELS, { istio: 'egressgateway', app: 'istio-egressgateway' });
    assert.equal(bootstrap.ca?.tokenFile, '/tmp/heddle/gateways/istio-egressgateway.istio-system/join-token');
    assert.equal(bootstrap.ca?.address, '127.0.0.1:41000');
    assert.equal(bootstrap.listenerBind?.address, '127.0.0.1');
    assert.equal(bootstrap.listenerBind?.privilegedPortOffset, 41003 - 80);
  });
});

describe('a revision’s view of the store', () => {
  it('shows its own istio-<rev> ConfigMap as istio, hides the default one, and turns writes into events', async () => {
    const store = new MemoryConfigStore();
    const configMap = (name: string, mesh: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'istio-system' },
      data: { mesh },
    });
    await store.apply([configMap('istio', 'accessLogFile: ""\n')]);
    const view = revisionStoreView(store, { revision: '1-13', pollMs: 20 });
    try {
      await view.poll();
      const events: ChangeEvent[] = [];
      view.watch((batch) => events.push(...batch));
      assert.deepEqual((await view.list({ kind: 'ConfigMap' })).items, []);
      // Written by another process (here: straight into the store, past the view).
      await store.apply([configMap('istio-1-13', 'accessLogFile: /dev/stdout\n')]);
      for (let i = 0; i < 100 && events.length === 0; i++) await sleep(20);
      assert.equal(events.length, 1);
      assert.equal(events[0]?.type, 'put');
      assert.equal(events[0]?.resource.metadata.name, 'istio');
      const seen = await view.get('ConfigMap', 'istio-system', 'istio');
      assert.deepEqual(seen?.data, { mesh: 'accessLogFile: /dev/stdout\n' });
      await store.delete([{ kind: 'ConfigMap', namespace: 'istio-system', name: 'istio-1-13' }]);
      for (let i = 0; i < 100 && events.length === 1; i++) await sleep(20);
      assert.equal(events[1]?.type, 'delete');
    } finally {
      await view.close();
    }
  });
});

async function echoServer(t: TestContext, tag: string): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (data) => socket.write(`${tag}:${data.toString()}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as { port: number }).port;
}

function exchange(address: string, text: string): Promise<{ reply: string; closed: Promise<void> }> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(port) }, () => socket.write(text));
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.once('data', (data) => resolve({ reply: data.toString(), closed }));
    socket.on('error', reject);
  });
}

describe('the xDS relay', () => {
  it('forwards to its target, and a retarget ends open connections so they reconnect to the new one', async (t) => {
    const first = await echoServer(t, 'one');
    const second = await echoServer(t, 'two');
    const relay = await startXdsRelay(`127.0.0.1:${first}`);
    t.after(() => relay.close());
    const before = await exchange(relay.address, 'hi');
    assert.equal(before.reply, 'one:hi');
    relay.retarget(`127.0.0.1:${second}`);
    await before.closed;
    assert.equal((await exchange(relay.address, 'hi')).reply, 'two:hi');
    assert.equal(relay.target(), `127.0.0.1:${second}`);
  });
});
