// Bootstrap parsing: defaults, the node metadata the control plane reads, and one clear error per problem.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseBootstrap } from '../../src/xds/bootstrap.ts';
import { BOOTSTRAP_INVALID, BOOTSTRAP_UNREADABLE, BootstrapError } from '../../src/xds/bootstrap-error.ts';
import { loadBootstrapFile } from '../../src/xds/bootstrap-file.ts';
import { buildXdsNode } from '../../src/xds/xds-node.ts';

const minimal = {
  node: { id: 'sidecar~10.0.0.1~product.default~default.svc.cluster.local' },
  controlPlane: { addresses: ['127.0.0.1:15010'] },
};

function problemsOf(input: unknown): readonly string[] {
  try {
    parseBootstrap(input);
  } catch (error) {
    assert.ok(error instanceof BootstrapError);
    assert.equal(error.code, BOOTSTRAP_INVALID);
    assert.doesNotMatch(error.message, /\n/, 'the error is one line');
    return error.problems;
  }
  assert.fail('expected a BootstrapError');
}

describe('bootstrap', () => {
  it('fills in Envoy/Istio defaults for admin, health, drain and concurrency', () => {
    const bootstrap = parseBootstrap(minimal);
    assert.deepEqual(bootstrap.admin, { address: '127.0.0.1', port: 15000 });
    assert.deepEqual(bootstrap.health, { address: '127.0.0.1', port: 15021 });
    assert.equal(bootstrap.drainTimeoutMs, 5000);
    assert.equal(bootstrap.concurrency, 1);
    assert.deepEqual(bootstrap.controlPlane.addresses, ['127.0.0.1:15010']);
    assert.equal(bootstrap.node.cluster, minimal.node.id);
  });

  it('normalizes the metadata keys the control plane reads', () => {
    const bootstrap = parseBootstrap({
      ...minimal,
      node: {
        id: 'sidecar~10.0.0.1~product-v2.shop~shop.svc.cluster.local',
        metadata: {
          NAMESPACE: 'shop',
          WORKLOAD_NAME: 'product-v2',
          SERVICE_ACCOUNT: 'product',
          LABELS: { app: 'product', version: 2 },
          INSTANCE_IPS: ['10.0.0.1', 'fd00::1'],
          HEDDLE_CAPTURE: 'explicit',
          HEDDLE_OUTBOUND_PORT: 15001,
          HEDDLE_APP_PORTS: { 9080: 19080 },
          ISTIO_VERSION: '1.22.0',
        },
        locality: { region: 'eu', zone: 'eu-1' },
      },
      admin: { port: 0 },
      drainTimeout: '1500ms',
      concurrency: 2,
    });
    assert.deepEqual(bootstrap.node.metadata, {
      NAMESPACE: 'shop',
      WORKLOAD_NAME: 'product-v2',
      SERVICE_ACCOUNT: 'product',
      LABELS: { app: 'product', version: '2' },
      INSTANCE_IPS: '10.0.0.1,fd00::1',
      HEDDLE_CAPTURE: 'explicit',
      HEDDLE_OUTBOUND_PORT: '15001',
      HEDDLE_APP_PORTS: '9080=19080',
      ISTIO_VERSION: '1.22.0',
    });
    assert.equal(bootstrap.node.cluster, 'product-v2.shop', "Istio's <workload>.<namespace>");
    assert.deepEqual(bootstrap.node.locality, { region: 'eu', zone: 'eu-1', subZone: '' });
    assert.equal(bootstrap.admin.port, 0);
    assert.equal(bootstrap.drainTimeoutMs, 1500);
    const node = buildXdsNode(bootstrap.node);
    assert.equal(node.userAgentName, 'heddle-proxy');
    assert.equal(node.locality?.zone, 'eu-1');
    assert.deepEqual(node.metadata?.LABELS, { app: 'product', version: '2' });
  });

  it('names every problem with its field path', () => {
    const problems = problemsOf({
      node: {
        id: '',
        metadata: { HEDDLE_CAPTURE: 'tproxy', INSTANCE_IPS: 'not-an-ip', HEDDLE_APP_PORTS: '80:8080' },
      },
      controlPlane: { addresses: ['nohost', 'cp:99999'] },
      admin: { port: -1 },
      drainTimeout: 5,
      colour: 'blue',
    });
    assert.deepEqual(problems, [
      'bootstrap.colour: unknown field (known: node, controlPlane, admin, health, drainTimeout, concurrency, ca, listenerAddress, listenerPortMap, privilegedPortOffset, metricsMerge)',
      'node.id: must not be empty',
      'node.metadata.HEDDLE_CAPTURE: must be "transparent" or "explicit", not "tproxy"',
      'node.metadata.INSTANCE_IPS: "not-an-ip" is not an IP address',
      'node.metadata.HEDDLE_APP_PORTS: entries are "listen=app", not "80:8080"',
      'controlPlane.addresses[0]: must be "host:port" (IPv6 as "[addr]:port"), not "nohost"',
      'controlPlane.addresses[1]: must be "host:port" (IPv6 as "[addr]:port"), not "cp:99999"',
      'admin.port: must be an integer from 0 to 65535, not -1',
      'drainTimeout: must be a duration like "5s" or "500ms", not 5',
    ]);
  });

  it('requires a node and control-plane addresses', () => {
    assert.deepEqual(problemsOf({}), [
      'node: required (id, cluster, metadata)',
      'controlPlane.addresses: required (one or more "host:port")',
    ]);
    assert.deepEqual(problemsOf([]), [
      'bootstrap: must be an object, not a list',
      'node: required (id, cluster, metadata)',
      'controlPlane.addresses: required (one or more "host:port")',
    ]);
  });

  describe('files', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'heddle-bootstrap-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reads JSON and YAML', async () => {
      const json = join(dir, 'bootstrap.json');
      await writeFile(json, JSON.stringify(minimal));
      assert.equal((await loadBootstrapFile(json)).node.id, minimal.node.id);
      const yaml = join(dir, 'bootstrap.yaml');
      await writeFile(
        yaml,
        [
          'node:',
          '  id: gw',
          '  metadata:',
          '    LABELS: {istio: ingressgateway}',
          'controlPlane:',
          '  addresses: ["[::1]:15010"]',
          '',
        ].join('\n'),
      );
      const bootstrap = await loadBootstrapFile(yaml);
      assert.deepEqual(bootstrap.node.metadata.LABELS, { istio: 'ingressgateway' });
      assert.deepEqual(bootstrap.controlPlane.addresses, ['[::1]:15010']);
    });

    it('reports unreadable and unparsable files with the file name', async () => {
      await assert.rejects(loadBootstrapFile(join(dir, 'missing.yaml')), (error: unknown) => {
        assert.ok(error instanceof BootstrapError);
        assert.equal(error.code, BOOTSTRAP_UNREADABLE);
        assert.match(error.message, /missing\.yaml: cannot read bootstrap: no such file/);
        return true;
      });
      const broken = join(dir, 'broken.json');
      await writeFile(broken, '{"node": ');
      await assert.rejects(loadBootstrapFile(broken), /broken\.json: invalid bootstrap: not valid JSON/);
      const badYaml = join(dir, 'bad.yaml');
      await writeFile(badYaml, 'node: [unclosed\n');
      await assert.rejects(loadBootstrapFile(badYaml), /bad\.yaml: invalid bootstrap: not valid YAML/);
    });
  });
});
