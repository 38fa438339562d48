// The pieces of `heddle run --capture transparent` that need no root: the capture rules, the bridge subnet
// choice, the namespace's ports, who the app runs as, the preflight refusals, the bootstrap and the app's
// environment; and the refusals of the command itself (bad options, not root).
import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { appEnv } from '../../src/run/app-env.ts';
import { parsePortSpec } from '../../src/run/parse-port-spec.ts';
import { sidecarBootstrap } from '../../src/run/sidecar-bootstrap.ts';
import { appUserOptions } from '../../src/run/transparent/app-user.ts';
import { bridgeSubnet, chooseBridgeSubnet } from '../../src/run/transparent/bridge-subnet.ts';
import { captureRules } from '../../src/run/transparent/capture-rules.ts';
import { namespacePortList, namespacePorts } from '../../src/run/transparent/namespace-ports.ts';
import {
  checkTransparentCapture,
  findOnPath,
  REQUIRED_TOOLS,
  type PreflightFacts,
} from '../../src/run/transparent/preflight.ts';
import { UsageError } from '../../src/usage-error.ts';
import { runCli, stackTraceIn } from '../helpers/run-cli.ts';

describe('capture rules', () => {
  it('redirects inbound TCP to 15006 and outbound to 15001, sparing the proxy uid and loopback', () => {
    const rules = captureRules().split('\n');
    assert.equal(rules[0], '*nat');
    assert.ok(rules.includes('-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006'));
    assert.ok(rules.includes('-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001'));
    assert.ok(rules.includes('-A ISTIO_INBOUND -p tcp --dport 15021 -j RETURN'));
    assert.ok(rules.includes('-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN'));
    assert.ok(rules.includes('-A ISTIO_OUTPUT -m owner --gid-owner 1337 -j RETURN'));
    assert.equal(rules.at(-2), 'COMMIT');
  });

  it('lets excluded ports and addresses through, before the catch-all redirects', () => {
    const rules = captureRules({
      proxyUid: 2000,
      inboundExcludedPorts: [15021, 15020],
      outboundExcludedAddresses: ['10.213.0.1/32'],
    }).split('\n');
    const at = (line: string): number => {
      const index = rules.indexOf(line);
      assert.ok(index >= 0, `missing: ${line}`);
      return index;
    };
    assert.ok(
      at('-A ISTIO_INBOUND -p tcp --dport 15020 -j RETURN') <
        at('-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT'),
    );
    assert.ok(at('-A ISTIO_OUTPUT -d 10.213.0.1/32 -j RETURN') < at('-A ISTIO_OUTPUT -j ISTIO_REDIRECT'));
    at('-A ISTIO_OUTPUT -m owner --uid-owner 2000 -j RETURN');
    assert.equal(
      rules.some((line) => line.includes('1337')),
      false,
    );
  });
});

describe('bridge subnet', () => {
  const table = `default via 192.0.2.1 dev eth0
192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2
local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1
broadcast 192.0.2.255 dev eth0 table local proto kernel scope link src 192.0.2.2`;

  it('takes the first candidate no route covers, ignoring default routes', () => {
    assert.equal(chooseBridgeSubnet(table)?.cidr, '10.213.0.0/24');
    const taken = `${table}\n10.213.0.0/24 dev br0\nlocal 10.213.1.7 dev br1 table local`;
    const subnet = chooseBridgeSubnet(taken);
    assert.equal(subnet?.cidr, '10.213.2.0/24');
    assert.equal(subnet?.hostAddress, '10.213.2.1');
    assert.equal(subnet?.address(2), '10.213.2.2');
  });

  it('finds none when a wider route covers every candidate', () => {
    assert.equal(chooseBridgeSubnet(`${table}\n10.0.0.0/8 via 192.0.2.9 dev eth0`), undefined);
    assert.equal(chooseBridgeSubnet('10.213.0.0/16 dev vpn0'), undefined);
  });

  it('reads an existing bridge address back', () => {
    const subnet = bridgeSubnet('10.213.4.1/24');
    assert.equal(subnet.cidr, '10.213.4.0/24');
    assert.equal(subnet.hostAddress, '10.213.4.1');
    assert.equal(subnet.contains('10.213.4.9'), true);
    assert.equal(subnet.contains('10.213.40.9'), false);
  });
});

describe('namespace ports', () => {
  it('uses each service port as the app port, choosing from 8080 for 0', () => {
    const specs = ['http=9080', 'grpc=0', 'metrics=0:0'].map(parsePortSpec);
    assert.deepEqual(namespacePorts(specs).servicePorts, [9080, 8080, 8081]);
    assert.deepEqual(namespacePortList(specs), [9080, 8080, 8081, 9080, 8080, 8081, 0, 15000, 15021, 15020]);
    assert.deepEqual(namespacePorts(['8080', '0'].map(parsePortSpec)).servicePorts, [8080, 8081]);
  });

  it('refuses a different app port and the sidecar’s own ports', () => {
    assert.throws(() => namespacePorts([parsePortSpec('9080:8080')]), UsageError);
    assert.throws(() => namespacePorts([parsePortSpec('15006')]), /sidecar's own/);
    assert.throws(() => namespacePorts(['a=8080', 'b=8080'].map(parsePortSpec)), /twice/);
    assert.deepEqual(namespacePorts([parsePortSpec('9080:9080')]).servicePorts, [9080]);
  });
});

describe('the app’s user', () => {
  it('is the sudo caller, else heddle run’s own user, never the sidecar’s', () => {
    assert.deepEqual(appUserOptions({}, 0), []);
    assert.deepEqual(appUserOptions({ SUDO_UID: '0', SUDO_GID: '0' }, 0), []);
    assert.deepEqual(appUserOptions({ SUDO_UID: '1000', SUDO_GID: '1001', SUDO_USER: 'me' }, 0), [
      '--reuid=1000',
      '--regid=1001',
      '--init-groups',
    ]);
    assert.deepEqual(appUserOptions({ SUDO_UID: '65534', SUDO_GID: '65534' }, 0), [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
    ]);
    assert.throws(() => appUserOptions({ SUDO_UID: '1337' }, 0), /uid 1337/);
  });
});

describe('transparent capture preflight', () => {
  const ready = async (): Promise<{ facts: PreflightFacts; dir: string }> => {
    const dir = await mkdtemp(join(tmpdir(), 'heddle-preflight-'));
    const addon = join(dir, 'original_dst.node');
    await writeFile(addon, '');
    for (const tool of REQUIRED_TOOLS) await writeFile(join(dir, tool.command), '', { mode: 0o755 });
    return { facts: { platform: 'linux', uid: 0, path: dir, addon }, dir };
  };

  it('passes with Linux, root, the tools and the addon', async () => {
    const { facts, dir } = await ready();
    try {
      checkTransparentCapture(facts);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names what is missing in one line', async () => {
    const { facts, dir } = await ready();
    try {
      assert.throws(() => checkTransparentCapture({ ...facts, platform: 'darwin' }), /needs Linux .* darwin/);
      assert.throws(() => checkTransparentCapture({ ...facts, uid: 1000 }), /needs root/);
      await rm(join(dir, 'iptables'));
      assert.throws(
        () => checkTransparentCapture(facts),
        /needs `iptables`, which is not on PATH \(install the Debian package iptables\)/,
      );
      await writeFile(join(dir, 'iptables'), '', { mode: 0o755 });
      await rm(join(dir, 'ip'));
      assert.throws(() => checkTransparentCapture(facts), /`ip`.*Debian package iproute2/);
      await writeFile(join(dir, 'ip'), '', { mode: 0o755 });
      await rm(facts.addon);
      assert.throws(() => checkTransparentCapture(facts), /SO_ORIGINAL_DST addon .*npm run generate/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds only executable files on PATH', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'heddle-path-'));
    try {
      await writeFile(join(dir, 'plain'), '', { mode: 0o644 });
      await writeFile(join(dir, 'tool'), '', { mode: 0o755 });
      await symlink(join(dir, 'tool'), join(dir, 'linked'));
      assert.equal(findOnPath('plain', dir), undefined);
      assert.equal(findOnPath('tool', `/nonexistent:${dir}`), join(dir, 'tool'));
      assert.equal(findOnPath('linked', dir), join(dir, 'linked'));
      assert.equal(findOnPath('absent', dir), undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('transparent bootstrap and app environment', () => {
  it('declares transparent capture, the namespace address, and serves health and metrics on every address', () => {
    const bootstrap = sidecarBootstrap({
      name: 'reviews',
      namespace: 'shop',
      serviceAccount: 'default',
      labels: { app: 'reviews' },
      address: '10.213.0.2',
      xdsAddress: '10.213.0.1:40000',
      outboundPort: 0,
      appPorts: new Map([[9080, 9080]]),
      adminPort: 15000,
      healthPort: 15021,
      metricsMergePort: 15020,
      tokenFile: '/tmp/heddle-sidecar-x/join-token',
      capture: 'transparent',
    }) as {
      node: { id: string; metadata: Record<string, unknown> };
      admin: unknown;
      health: unknown;
      metricsMerge: { address: string; port: number };
      controlPlane: unknown;
      ca: unknown;
    };
    assert.equal(bootstrap.node.id, 'sidecar~10.213.0.2~reviews.shop~shop.svc.cluster.local');
    assert.equal(bootstrap.node.metadata.HEDDLE_CAPTURE, 'transparent');
    assert.equal(bootstrap.node.metadata.INSTANCE_IPS, '10.213.0.2');
    assert.equal(bootstrap.node.metadata.HEDDLE_OUTBOUND_PORT, undefined);
    assert.equal(bootstrap.node.metadata.HEDDLE_APP_PORTS, undefined);
    assert.equal(bootstrap.node.metadata.HEDDLE_METRICS_URL, 'http://10.213.0.2:15020/stats/prometheus');
    assert.deepEqual(bootstrap.admin, { address: '127.0.0.1', port: 15000 });
    assert.deepEqual(bootstrap.health, { address: '0.0.0.0', port: 15021 });
    assert.deepEqual(bootstrap.metricsMerge, { address: '0.0.0.0', port: 15020 });
    assert.deepEqual(bootstrap.controlPlane, { addresses: ['10.213.0.1:40000'] });
    assert.deepEqual(bootstrap.ca, { tokenFile: '/tmp/heddle-sidecar-x/join-token' });
  });

  it('gives the app no proxy settings, not even inherited ones', () => {
    const env = appEnv(
      { PATH: '/usr/bin', HTTP_PROXY: 'http://corp:3128', https_proxy: 'http://corp:3128', NO_PROXY: 'x' },
      {
        name: 'reviews',
        namespace: 'shop',
        serviceAccount: 'default',
        appPort: 9080,
        appPorts: new Map([[9080, 9080]]),
        outboundPort: 0,
        adminPort: 15000,
        controlPlaneUrl: 'http://10.213.0.1:41000',
        capture: 'transparent',
      },
    );
    const proxies = Object.keys(env).filter((name) => /proxy/i.test(name));
    assert.deepEqual(proxies, ['HEDDLE_PROXY_ADMIN_PORT']);
    assert.equal(env.PORT, '9080');
    assert.equal(env.HEDDLE_CAPTURE, 'transparent');
    assert.equal(env.HEDDLE_CONTROL_PLANE, 'http://10.213.0.1:41000');
    assert.equal(env.PATH, '/usr/bin');
  });
});

describe('heddle run --capture refusals', { timeout: 60_000 }, () => {
  it('refuses --outbound-port and an unknown mode as usage errors', async () => {
    const outbound = await runCli([
      'run',
      '--capture',
      'transparent',
      '--outbound-port',
      '5000',
      '--',
      'true',
    ]);
    assert.equal(outbound.code, 64, outbound.stderr);
    assert.match(outbound.stderr, /--outbound-port has no use with --capture transparent/);
    const unknown = await runCli(['run', '--capture', 'magic', '--', 'true']);
    assert.equal(unknown.code, 64, unknown.stderr);
    assert.match(unknown.stderr, /magic/);
  });

  it('refuses, in one line and before anything else, when not root', async () => {
    // As root, the refusal is checked as an unprivileged user (nobody).
    const asRoot = process.getuid?.() === 0;
    const result = await runCli(
      ['run', '--capture', 'transparent', '--control-plane', 'http://127.0.0.1:9', '--', 'true'],
      { ...(asRoot ? { uid: 65534, gid: 65534 } : {}), cwd: tmpdir(), env: { HOME: tmpdir() } },
    );
    assert.equal(result.code, 69, result.stderr);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(
      result.stderr,
      process.platform === 'linux' ? /--capture transparent needs root/ : /--capture transparent needs Linux/,
    );
    assert.equal(stackTraceIn(result), undefined);
  });
});
