// `heddle create secret tls|generic`, `heddle get secrets` and `heddle delete secret` against a real control
// plane, with certificates made by openssl.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestPki, type TestPki } from '@heddle/testkit';
import { startTestControlPlane } from './helpers/control-plane.ts';
import { runCli, stackTraceIn } from './helpers/run-cli.ts';

describe('heddle create/get/delete secret', { timeout: 120_000 }, () => {
  let pki: TestPki;
  const file = (name: string): string => join(pki.dir, name);

  before(async () => {
    pki = createTestPki('cli-secrets');
    pki.ca('clients');
    pki.issue('shop', 'clients', 'DNS:shop.example.com');
    pki.issue('rotated', 'clients', 'DNS:shop.example.com,DNS:www.example.com');
    await writeFile(file('garbage.crt'), 'not a certificate\n');
  });
  after(() => pki.remove());

  it('creates a tls secret, lists it, refuses a second create, replaces it with --overwrite, and deletes it', async (t) => {
    const { url, plane } = await startTestControlPlane(t);
    const cp = ['--control-plane', url];
    const created = await runCli([
      'create',
      'secret',
      'tls',
      'shop-cert',
      '--cert',
      file('shop.crt'),
      '--key',
      file('shop.key'),
      ...cp,
    ]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(
      created.stdout,
      'secret/shop-cert created in namespace istio-system (DNS:shop.example.com)\n',
    );
    assert.deepEqual(plane.secrets.names(), ['istio-system/shop-cert']);

    const table = await runCli(['get', 'secrets', ...cp]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^NAME\s+TYPE\s+DATA\s+HOSTS\s+EXPIRES\s+AGE$/m);
    assert.match(
      table.stdout,
      /^shop-cert\s+kubernetes\.io\/tls\s+2\s+shop\.example\.com\s+\d{4}-\d\d-\d\d\s+\d+s$/m,
    );

    const again = await runCli([
      'create',
      'secret',
      'tls',
      'shop-cert',
      '--cert',
      file('shop.crt'),
      '--key',
      file('shop.key'),
      ...cp,
    ]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists.*HEDDLE_SECRET_EXISTS/);

    const rotated = await runCli([
      'create',
      'secret',
      'tls',
      'shop-cert',
      '--cert',
      file('rotated.crt'),
      '--key',
      file('rotated.key'),
      '--overwrite',
      ...cp,
    ]);
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(
      rotated.stdout,
      /^secret\/shop-cert replaced in namespace istio-system \(DNS:shop\.example\.com, DNS:www\.example\.com\)$/m,
    );

    const yaml = await runCli(['get', 'secret', 'shop-cert', '-o', 'yaml', ...cp]);
    assert.equal(yaml.code, 0, yaml.stderr);
    assert.match(yaml.stdout, /kind: Secret/);
    assert.match(yaml.stdout, /type: kubernetes\.io\/tls/);
    assert.match(yaml.stdout, /subject: CN=rotated/);
    assert.doesNotMatch(yaml.stdout, /PRIVATE KEY/);

    const deleted = await runCli(['delete', 'secret', 'shop-cert', ...cp]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout, 'secret "shop-cert" deleted\n');
    const gone = await runCli(['delete', 'secret', 'shop-cert', ...cp]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /secret "shop-cert" not found in namespace istio-system/);
    assert.equal((await runCli(['delete', 'secret', 'shop-cert', '--ignore-not-found', ...cp])).code, 0);
    const empty = await runCli(['get', 'secrets', ...cp]);
    assert.equal(empty.code, 0);
    assert.match(empty.stderr, /No resources found in istio-system namespace/);
  });

  it('stores a client CA: with --cacert, and alone as <name>-cacert with generic --from-file', async (t) => {
    const { url, plane } = await startTestControlPlane(t);
    const cp = ['--control-plane', url];
    const mutual = await runCli([
      'create',
      'secret',
      'tls',
      'partner',
      '-n',
      'edge',
      '--cert',
      file('shop.crt'),
      '--key',
      file('shop.key'),
      '--from-file=ca.crt=' + file('clients.crt'),
      ...cp,
    ]);
    assert.equal(mutual.code, 0, mutual.stderr);
    const separate = await runCli([
      'create',
      'secret',
      'generic',
      'partner-cacert',
      '-n',
      'edge',
      `--from-file=ca.crt=${file('clients.crt')}`,
      ...cp,
    ]);
    assert.equal(separate.code, 0, separate.stderr);
    assert.equal(separate.stdout, 'secret/partner-cacert created in namespace edge\n');
    const material = plane.secrets.material();
    assert.ok(material.get('edge/partner')?.caCertificate);
    assert.deepEqual(Object.keys(material.get('edge/partner-cacert') ?? {}), ['caCertificate']);

    const all = await runCli(['get', 'secrets', '-A', ...cp]);
    assert.match(all.stdout, /^NAMESPACE\s+NAME\s+TYPE/m);
    assert.match(all.stdout, /^edge\s+partner\s+kubernetes\.io\/tls\s+3\s/m);
    assert.match(all.stdout, /^edge\s+partner-cacert\s+Opaque\s+1\s+-\s/m);
    // Options before the word `secrets` belong to `get` in commander; they apply all the same.
    const json = await runCli(['get', '-n', 'edge', 'secrets', '-o', 'json', ...cp]);
    const list = JSON.parse(json.stdout) as { items: { metadata: { name: string } }[] };
    assert.deepEqual(
      list.items.map((item) => item.metadata.name),
      ['partner', 'partner-cacert'],
    );
  });

  it('bad input: unreadable file 65, refused PEM 65, key mismatch 65, bad --from-file key 64, no control plane 69', async (t) => {
    const { url } = await startTestControlPlane(t);
    const cp = ['--control-plane', url];
    const missing = await runCli([
      'create',
      'secret',
      'tls',
      'x',
      '--cert',
      file('nope.crt'),
      '--key',
      file('shop.key'),
      ...cp,
    ]);
    assert.equal(missing.code, 65);
    assert.match(missing.stderr, /cannot read .*nope\.crt: no such file or directory/);
    const garbage = await runCli([
      'create',
      'secret',
      'tls',
      'x',
      '--cert',
      file('garbage.crt'),
      '--key',
      file('shop.key'),
      ...cp,
    ]);
    assert.equal(garbage.code, 65);
    assert.match(garbage.stderr, /tls\.crt: no PEM CERTIFICATE block \(HEDDLE_SECRET_PEM_INVALID\)/);
    const mismatch = await runCli([
      'create',
      'secret',
      'tls',
      'x',
      '--cert',
      file('shop.crt'),
      '--key',
      file('rotated.key'),
      ...cp,
    ]);
    assert.equal(mismatch.code, 65);
    assert.match(mismatch.stderr, /HEDDLE_SECRET_KEY_MISMATCH/);
    const badKey = await runCli([
      'create',
      'secret',
      'generic',
      'x',
      '--from-file=password=' + file('shop.key'),
      ...cp,
    ]);
    assert.equal(badKey.code, 64);
    assert.match(badKey.stderr, /the key must be one of tls\.crt, cert, tls\.key, key, ca\.crt, cacert/);
    const noCert = await runCli(['create', 'secret', 'tls', 'x', '--key', file('shop.key'), ...cp]);
    assert.equal(noCert.code, 64);
    const away = await runCli(['get', 'secrets', '--control-plane', 'http://127.0.0.1:1']);
    assert.equal(away.code, 69);
    for (const result of [missing, garbage, mismatch, badKey, away])
      assert.equal(stackTraceIn(result), undefined);
  });

  it('get and delete of other types still go to the resource verbs', async (t) => {
    const { url } = await startTestControlPlane(t);
    const vs = await runCli(['get', 'vs', '-n', 'shop', '--control-plane', url]);
    assert.equal(vs.code, 0, vs.stderr);
    assert.match(vs.stderr, /No resources found in shop namespace/);
    const unknown = await runCli(['delete', 'virtualservice', 'nope', '-n', 'shop', '--control-plane', url]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /not found/);
  });
});
