// `heddle get`: kubectl-style tables, YAML and JSON of stored resources, by type name, short name or list.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { applyYaml } from '@heddle/control-plane';
import { startTestControlPlane, type TestControlPlane } from './helpers/control-plane.ts';
import { runCli } from './helpers/run-cli.ts';

const RESOURCES = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
    - route:
        - destination: {host: reviews}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings, namespace: shop}
spec:
  hosts: [ratings]
  gateways: [shop-gateway]
  http:
    - route:
        - destination: {host: ratings}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings, namespace: shop}
spec:
  host: ratings
`;

/** The fields of a stored resource these tests read. */
interface Stored {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly resourceVersion: string };
  readonly spec: { readonly host?: string; readonly gateways?: readonly string[] };
}

async function seeded(t: TestContext): Promise<TestControlPlane> {
  const started = await startTestControlPlane(t);
  const result = await applyYaml(started.plane.store, [{ name: 'seed.yaml', text: RESOURCES }]);
  assert.equal(result.code, undefined, JSON.stringify(result.findings));
  return started;
}

describe('heddle get', { timeout: 120_000 }, () => {
  it('prints a table of the default namespace, with the kind’s own columns, revision and age', async (t) => {
    const { url } = await seeded(t);
    const result = await runCli(['get', 'virtualservices', '--control-plane', url]);
    assert.equal(result.code, 0, result.stderr);
    const [header, row, ...rest] = result.stdout.trimEnd().split('\n');
    assert.match(header ?? '', /^NAME {6}GATEWAYS {3}HOSTS {9}REVISION {3}AGE$/);
    assert.match(row ?? '', /^reviews {14}\["reviews"\] {3}1 {10}\d+s$/);
    assert.deepEqual(rest, []);
  });

  it('-A adds a NAMESPACE column; -n picks one namespace; short and plural names are the same', async (t) => {
    const { url } = await seeded(t);
    const all = await runCli(['get', 'vs', '-A', '--control-plane', url]);
    assert.match(all.stdout, /^NAMESPACE {3}NAME {6}GATEWAYS {11}HOSTS/);
    assert.match(all.stdout, /^default {5}reviews/m);
    assert.match(all.stdout, /^shop {8}ratings {3}\["shop-gateway"\]/m);
    const shop = await runCli(['get', 'VirtualService', '-n', 'shop', '--control-plane', url]);
    assert.match(shop.stdout, /^ratings /m);
    assert.doesNotMatch(shop.stdout, /reviews/);
  });

  it('lists several types at once, names qualified by type', async (t) => {
    const { url } = await seeded(t);
    const result = await runCli(['get', 'vs,dr', '-n', 'shop', '-o', 'name', '--control-plane', url]);
    assert.equal(
      result.stdout,
      'virtualservice.networking.istio.io/ratings\ndestinationrule.networking.istio.io/ratings\n',
    );
  });

  it('-o yaml prints the stored objects as multi-document YAML', async (t) => {
    const { url } = await seeded(t);
    const result = await runCli(['get', 'vs', '-A', '-o', 'yaml', '--control-plane', url]);
    assert.equal(result.code, 0);
    const documents = parseAllDocuments(result.stdout).map((document) => document.toJS() as Stored);
    assert.deepEqual(
      documents.map((d) => `${d.kind} ${d.metadata.namespace}/${d.metadata.name}`),
      ['VirtualService default/reviews', 'VirtualService shop/ratings'],
    );
    assert.equal(documents[1]?.metadata.resourceVersion, '1');
    assert.deepEqual(documents[1]?.spec.gateways, ['shop-gateway']);
  });

  it('-o json prints a kubectl List, or the one object asked for by name', async (t) => {
    const { url } = await seeded(t);
    const output = await runCli(['get', 'dr', '-A', '-o', 'json', '--control-plane', url]);
    const list = JSON.parse(output.stdout) as { kind: string; items: Stored[] };
    assert.equal(list.kind, 'List');
    assert.deepEqual(
      list.items.map((item) => item.metadata.name),
      ['ratings'],
    );
    const one = await runCli(['get', 'dr', 'ratings', '-n', 'shop', '-o', 'json', '--control-plane', url]);
    const object = JSON.parse(one.stdout) as Stored;
    assert.equal(object.kind, 'DestinationRule');
    assert.equal(object.spec.host, 'ratings');
  });

  it('a missing name: exit 1 with a kubectl-like line on stderr; an empty listing: a note, exit 0', async (t) => {
    const { url } = await seeded(t);
    const missing = await runCli(['get', 'vs', 'nope', '-n', 'shop', '--control-plane', url]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, '');
    assert.equal(
      missing.stderr,
      'heddle: virtualservices.networking.istio.io "nope" not found in namespace "shop"\n',
    );
    const empty = await runCli(['get', 'gateways', '-n', 'shop', '--control-plane', url]);
    assert.equal(empty.code, 0);
    assert.equal(empty.stdout, '');
    assert.equal(empty.stderr, 'No resources found in shop namespace.\n');
  });

  it('usage errors: an unknown type lists the known ones; a name with -A or several types', async () => {
    const unknown = await runCli(['get', 'virtualservise']);
    assert.equal(unknown.code, 64);
    assert.match(unknown.stderr, /^heddle: unknown resource type 'virtualservise'$/m);
    assert.match(unknown.stderr, /virtualservices \(vs\), destinationrules \(dr\)/);
    assert.equal((await runCli(['get', 'vs', 'reviews', '-A'])).code, 64);
    assert.equal((await runCli(['get', 'vs,dr', 'reviews'])).code, 64);
    assert.equal((await runCli(['get', 'vs', '-n', 'Not_A_Namespace'])).code, 64);
  });
});
