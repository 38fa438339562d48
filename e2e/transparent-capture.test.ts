// Transparent capture as Istio does it: a workload in its own network namespace, iptables REDIRECT of its
// outbound TCP to 15001 and of its inbound TCP to 15006, the sidecar (the real heddle-proxy, as its own uid)
// learning each connection's original destination with SO_ORIGINAL_DST. The app calls a service VIP with no
// HTTP_PROXY and gets the VirtualService's routing; a caller in another namespace reaches the app only through
// the sidecar, which enforces an AuthorizationPolicy. Linux and root only (network namespaces, iptables).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  captureRules,
  createNamespacePair,
  ensureIptables,
  isRoot,
  type NamespacePair,
  type NamespaceProcess,
  type NetworkNamespace,
  HEALTH_PORT,
  PROXY_UID,
} from './support/netns.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const NODE = process.execPath;
const PROXY_BIN = join(ROOT, 'packages/proxy/bin/heddle-proxy.ts');
const CONTROL_PLANE = join(ROOT, 'packages/control-plane/src/index.ts');
const ADDON = join(ROOT, 'packages/proxy/native/build/original_dst.node');
const ORIGINAL_DESTINATION = join(ROOT, 'packages/proxy/src/listener/original-destination.ts');

const SUBNET = '10.251.0';
/** Service VIPs: no host has them; only the capture makes a connection to them go anywhere. */
const REVIEWS_VIP = '10.251.9.10';
const PRODUCT_VIP = '10.251.9.20';
/** For the direct SO_ORIGINAL_DST probe in the peer namespace: redirected addresses and the probe's port. */
const PROBE_V4 = '10.251.8.7';
const PROBE_V6 = 'fd00:251:8::7';
const PROBE_PORT = 16001;
const REVIEWS_HOST = 'reviews.shop.svc.cluster.local';
const APP_PORT = 8080;
const REVIEWS_PORT = 9080;
/** A port no service declares: outside the mesh, reached through PassthroughCluster. */
const OUTSIDE_PORT = 7070;
const XDS_PORT = 15010;
const CP_HTTP_PORT = 15014;
const ADMIN_PORT = 15000;

const skipReason =
  process.platform !== 'linux'
    ? 'transparent capture needs Linux network namespaces'
    : !isRoot()
      ? 'transparent capture needs root (ip netns, iptables); run this test as root'
      : false;

const MESH_CONFIG = `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [${REVIEWS_HOST}]
  addresses: [${REVIEWS_VIP}]
  ports: [{ number: ${REVIEWS_PORT}, name: http, protocol: HTTP }]
  location: MESH_INTERNAL
  resolution: STATIC
  endpoints: [{ address: ${SUBNET}.1 }]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: product, namespace: shop }
spec:
  hosts: [product.shop.svc.cluster.local]
  addresses: [${PRODUCT_VIP}]
  ports: [{ number: ${APP_PORT}, name: http, protocol: HTTP }]
  location: MESH_INTERNAL
  resolution: STATIC
  endpoints: [{ address: ${SUBNET}.2, labels: { app: product } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [${REVIEWS_HOST}]
  http:
    - headers:
        request: { set: { x-heddle-route: reviews-vs } }
        response: { set: { x-routed-by: reviews-vs } }
      route: [{ destination: { host: ${REVIEWS_HOST} } }]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: product-no-admin, namespace: shop }
spec:
  selector: { matchLabels: { app: product } }
  action: DENY
  rules: [{ to: [{ operation: { paths: ["/admin"] } }] }]
`;

/** Answers every request with who it is, the path, the caller's address and the request headers. */
const ECHO_SERVER = `
import { createServer } from 'node:http';
const [name, host, port] = process.argv.slice(2);
const server = createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ service: name, path: req.url, remoteAddress: req.socket.remoteAddress, headers: req.headers }));
});
server.listen(Number(port), host, () => console.log('listening ' + name));
process.on('SIGTERM', () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
`;

/**
 * Listens on the dual-stack wildcard, connects to an IPv4 and an IPv6 address that iptables redirects to it,
 * and prints what the proxy's loader reads for each accepted connection, keyed by the client's local port.
 */
const PROBE = `
import { connect, createServer } from 'node:net';
const [modulePath, port, v4, v6] = process.argv.slice(2);
const { originalDestinationOf } = await import(modulePath);
const seen = {};
const server = createServer((socket) => {
  seen[socket.remotePort] = originalDestinationOf(socket) ?? null;
  socket.end();
});
await new Promise((resolve) => server.listen(Number(port), '::', resolve));
const call = (host, target) => new Promise((resolve, reject) => {
  const client = connect(target, host);
  client.on('error', reject);
  client.on('connect', () => {
    const localPort = client.localPort;
    client.on('close', () => resolve([host, localPort]));
  });
  client.resume();
});
const calls = await Promise.all([call(v4, 8443), call(v6, 9443)]);
console.log(JSON.stringify(calls.map(([host, localPort]) => ({ host, destination: seen[localPort] }))));
server.close();
`;

/** Runs the control plane on the namespace's loopback and applies the mesh config through its API. */
const CONTROL_PLANE_MAIN = `
import { readFile } from 'node:fs/promises';
const [entry, dataDir, configFile] = process.argv.slice(2);
const { startControlPlane, silentLogger } = await import(entry);
const cp = await startControlPlane({
  dataDir,
  xdsAddress: '127.0.0.1:${XDS_PORT}',
  httpAddress: '127.0.0.1:${CP_HTTP_PORT}',
  logger: silentLogger,
  debounce: { quietMs: 10, maxDelayMs: 100 },
  instanceId: 'transparent-capture-e2e',
  // The sidecar reaches the control plane over the namespace's loopback, without a join token.
  xdsAuth: 'loopback-exempt',
});
const response = await fetch('http://127.0.0.1:' + cp.httpPort + '/apis/v1/apply', {
  method: 'POST',
  headers: { 'content-type': 'application/yaml' },
  body: await readFile(configFile, 'utf8'),
});
if (response.status !== 200) {
  console.error('apply failed: ' + (await response.text()));
  process.exit(1);
}
console.log('control plane ready');
process.on('SIGTERM', () => cp.close().then(() => process.exit(0)));
`;

function bootstrap(workloadAddress: string): object {
  return {
    node: {
      id: `sidecar~${workloadAddress}~product-1.shop~shop.svc.cluster.local`,
      cluster: 'product.shop',
      metadata: {
        NAMESPACE: 'shop',
        WORKLOAD_NAME: 'product-1',
        SERVICE_ACCOUNT: 'product',
        LABELS: { app: 'product' },
        INSTANCE_IPS: workloadAddress,
        HEDDLE_CAPTURE: 'transparent',
      },
    },
    controlPlane: { addresses: [`127.0.0.1:${XDS_PORT}`] },
    admin: { address: '127.0.0.1', port: ADMIN_PORT },
    health: { address: '127.0.0.1', port: HEALTH_PORT },
  };
}

interface Response {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** One request with curl inside `ns` (no proxy settings: `--noproxy '*'`), bounded by curl's own timeout. */
async function curl(ns: NetworkNamespace, url: string, extra: readonly string[] = []): Promise<Response> {
  const { stdout } = await ns.exec(
    'curl',
    ['-sS', '-i', '--noproxy', '*', '--connect-timeout', '3', '--max-time', '8', ...extra, url],
    15_000,
  );
  const split = stdout.indexOf('\r\n\r\n');
  const head = stdout.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(head[0]?.split(' ')[1]), headers, body: stdout.slice(split + 4) };
}

interface Echo {
  readonly service: string;
  readonly path: string;
  readonly remoteAddress: string;
  readonly headers: Record<string, string>;
}

describe(
  'transparent capture (iptables REDIRECT + SO_ORIGINAL_DST)',
  { skip: skipReason, timeout: 420_000 },
  () => {
    let net: NamespacePair | undefined;
    let dir: string | undefined;
    const processes: NamespaceProcess[] = [];

    const stat = async (name: string): Promise<number> => {
      assert.ok(net);
      const { stdout } = await net.workload.exec('curl', [
        '-sS',
        '--max-time',
        '5',
        `http://127.0.0.1:${ADMIN_PORT}/stats?filter=${encodeURIComponent(`^${name.replaceAll('.', '\\.')}$`)}`,
      ]);
      const line = stdout.split('\n').find((l) => l.startsWith(`${name}: `));
      return line ? Number(line.slice(name.length + 2)) : 0;
    };

    before(async () => {
      assert.ok(
        existsSync(ADDON),
        `${ADDON} is missing: run \`npm run generate -w @heddle/proxy\` (needs cc)`,
      );
      await ensureIptables();
      dir = await mkdtemp(join(tmpdir(), 'heddle-transparent-'));
      // The proxy runs as its own uid and must read its bootstrap.
      await chmod(dir, 0o755);
      await Promise.all([
        writeFile(join(dir, 'echo.mjs'), ECHO_SERVER),
        writeFile(join(dir, 'control-plane.mjs'), CONTROL_PLANE_MAIN),
        writeFile(join(dir, 'mesh.yaml'), MESH_CONFIG),
        writeFile(join(dir, 'bootstrap.json'), JSON.stringify(bootstrap(`${SUBNET}.2`))),
      ]);
      net = await createNamespacePair(`heddle-tc-${process.pid}`, SUBNET);
      const { workload, peer } = net;
      // The VIPs live on the link as Kubernetes Service IPs live on the pod network: routable, never answered.
      await workload.exec('ip', [
        'route',
        'add',
        `${REVIEWS_VIP.replace(/\.\d+$/, '.0')}/24`,
        'dev',
        net.workloadDevice,
      ]);
      await workload.execWithInput('iptables-restore', ['--noflush'], captureRules());

      const controlPlane = workload.start('control plane', [
        NODE,
        join(dir, 'control-plane.mjs'),
        CONTROL_PLANE,
        join(dir, 'cp-data'),
        join(dir, 'mesh.yaml'),
      ]);
      const app = workload.start('product app', [
        NODE,
        join(dir, 'echo.mjs'),
        'product',
        '0.0.0.0',
        String(APP_PORT),
      ]);
      const reviews = peer.start('reviews', [
        NODE,
        join(dir, 'echo.mjs'),
        'reviews',
        net.peerAddress,
        String(REVIEWS_PORT),
      ]);
      const outside = peer.start('outside', [
        NODE,
        join(dir, 'echo.mjs'),
        'outside',
        net.peerAddress,
        String(OUTSIDE_PORT),
      ]);
      processes.push(controlPlane, app, reviews, outside);
      await Promise.all([
        controlPlane.waitFor(/control plane ready/, 60_000),
        app.waitFor(/listening product/, 20_000),
        reviews.waitFor(/listening reviews/, 20_000),
        outside.waitFor(/listening outside/, 20_000),
      ]);
      const proxy = workload.start(
        'sidecar',
        [NODE, PROXY_BIN, '--bootstrap', join(dir, 'bootstrap.json'), '--log-level', 'warning'],
        { uid: PROXY_UID, cwd: ROOT },
      );
      processes.push(proxy);
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ready = await curl(workload, `http://127.0.0.1:${HEALTH_PORT}/healthz/ready`).catch(
          () => undefined,
        );
        if (ready?.status === 200) break;
        assert.ok(proxy.running, `the sidecar exited:\n${proxy.output}`);
        assert.ok(Date.now() < deadline, `the sidecar never became ready:\n${proxy.output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });

    after(async () => {
      for (const child of processes.reverse()) await child.stop();
      await net?.delete();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('captures an outbound call to a service VIP and routes it by the VirtualService', async () => {
      assert.ok(net);
      await net.workload.assertDirectRoute(REVIEWS_VIP);
      await net.workload.assertDirectRoute(net.peerAddress);
      const handedOff = await stat(`listener.0.0.0.0_${REVIEWS_PORT}.downstream_cx_total`);
      const reply = await curl(net.workload, `http://${REVIEWS_HOST}:${REVIEWS_PORT}/ratings`, [
        '--resolve',
        `${REVIEWS_HOST}:${REVIEWS_PORT}:${REVIEWS_VIP}`,
      ]);
      assert.equal(reply.status, 200, reply.body);
      assert.equal(reply.headers['x-routed-by'], 'reviews-vs');
      const echo = JSON.parse(reply.body) as Echo;
      assert.equal(echo.service, 'reviews');
      assert.equal(echo.path, '/ratings');
      assert.equal(echo.headers['x-heddle-route'], 'reviews-vs');
      // The sidecar, not the app, opened the upstream connection, from the workload's address.
      assert.equal(echo.remoteAddress, net.workloadAddress);
      // virtualOutbound read the original destination (VIP:9080) and handed the connection to the 9080 listener.
      assert.equal(await stat(`listener.0.0.0.0_${REVIEWS_PORT}.downstream_cx_total`), handedOff + 1);
    });

    it('passes a captured call to an address outside the mesh through to its original destination', async () => {
      assert.ok(net);
      await net.workload.assertDirectRoute(net.peerAddress);
      const passthrough = await stat('cluster.PassthroughCluster.upstream_cx_total');
      const reply = await curl(net.workload, `http://${net.peerAddress}:${OUTSIDE_PORT}/anything`);
      assert.equal(reply.status, 200, reply.body);
      assert.equal(reply.headers['x-routed-by'], undefined);
      const echo = JSON.parse(reply.body) as Echo;
      assert.equal(echo.service, 'outside');
      assert.equal(echo.path, '/anything');
      // ALLOW_ANY (the default): virtualOutbound's catch-all chain, PassthroughCluster, the original address.
      assert.equal(await stat('cluster.PassthroughCluster.upstream_cx_total'), passthrough + 1);
    });

    it('captures inbound connections to the app port on 15006', async () => {
      assert.ok(net);
      await net.peer.assertDirectRoute(net.workloadAddress);
      const before = await stat('listener.0.0.0.0_15006.downstream_cx_total');
      const reply = await curl(net.peer, `http://${net.workloadAddress}:${APP_PORT}/hello`);
      assert.equal(reply.status, 200, reply.body);
      const echo = JSON.parse(reply.body) as Echo;
      assert.equal(echo.service, 'product');
      assert.equal(echo.path, '/hello');
      // The caller is in the peer namespace, yet the app sees its sidecar on loopback.
      assert.equal(echo.remoteAddress, '127.0.0.1');
      assert.equal(await stat('listener.0.0.0.0_15006.downstream_cx_total'), before + 1);
    });

    it('enforces the workload’s AuthorizationPolicy on captured inbound traffic', async () => {
      assert.ok(net);
      const reply = await curl(net.peer, `http://${net.workloadAddress}:${APP_PORT}/admin`);
      assert.equal(reply.status, 403, reply.body);
      assert.match(reply.body, /RBAC: access denied/);
    });

    it('reads the original IPv4 and IPv6 destination of redirected connections', async () => {
      assert.ok(net && dir);
      const { peer } = net;
      await peer.exec('ip', ['addr', 'add', 'fd00:251::1/64', 'dev', net.peerDevice, 'nodad']);
      await peer.exec('ip', [
        'route',
        'add',
        `${PROBE_V4.replace(/\.\d+$/, '.0')}/24`,
        'dev',
        net.peerDevice,
      ]);
      await peer.exec('ip', ['-6', 'route', 'add', 'fd00:251:8::/64', 'dev', net.peerDevice]);
      await peer.assertDirectRoute(PROBE_V4);
      await peer.assertDirectRoute(PROBE_V6);
      const redirect = (destination: string): string =>
        [
          '*nat',
          `-A OUTPUT -p tcp -d ${destination} -j REDIRECT --to-ports ${PROBE_PORT}`,
          'COMMIT',
          '',
        ].join('\n');
      await peer.execWithInput('iptables-restore', ['--noflush'], redirect(`${PROBE_V4}/32`));
      await peer.execWithInput('ip6tables-restore', ['--noflush'], redirect(`${PROBE_V6}/128`));
      await writeFile(join(dir, 'probe.mjs'), PROBE);
      const probe = peer.start('original destination probe', [
        NODE,
        join(dir, 'probe.mjs'),
        ORIGINAL_DESTINATION,
        String(PROBE_PORT),
        PROBE_V4,
        PROBE_V6,
      ]);
      processes.push(probe);
      await probe.waitFor(/^\[.*\]$/m, 20_000);
      const line = probe.output.split('\n').find((l) => l.startsWith('['));
      assert.deepEqual(JSON.parse(line ?? '[]'), [
        { host: PROBE_V4, destination: { address: PROBE_V4, port: 8443 } },
        { host: PROBE_V6, destination: { address: PROBE_V6, port: 9443 } },
      ]);
    });
  },
);
