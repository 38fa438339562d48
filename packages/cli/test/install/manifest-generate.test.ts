// `heddle manifest generate`: Kubernetes manifests for what the IstioOperator describes, as YAML a later
// `kubectl apply` reads; HPA and PDB only where the IstioOperator sets them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../helpers/run-cli.ts';
import { TESTDATA, seed } from './install-helpers.ts';
import { join } from 'node:path';

type Manifest = {
  kind: string;
  apiVersion: string;
  metadata: { name: string; namespace: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
};

async function generate(args: readonly string[]): Promise<Manifest[]> {
  const result = await runCli(['manifest', 'generate', ...args]);
  assert.equal(result.code, 0, result.stderr);
  const documents = parseAllDocuments(result.stdout);
  for (const document of documents) assert.deepEqual(document.errors, [], 'valid YAML');
  return documents.map((document) => document.toJS() as Manifest);
}

function find(manifests: readonly Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  assert.ok(found, `${kind} ${name} in ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}

describe('heddle manifest generate', { timeout: 60_000 }, () => {
  it('renders the production profile: control plane and gateways with resources, HPAs and Services', async () => {
    const manifests = await generate(['-f', seed('000-01-istiooperator.yaml')]);
    const mesh = find(manifests, 'ConfigMap', 'istio');
    assert.match(mesh.data?.mesh ?? '', /outboundTrafficPolicy:\n {2}mode: REGISTRY_ONLY/);
    const istiod = find(manifests, 'Deployment', 'istiod');
    const template = (istiod.spec?.template as { spec: { containers: { resources: unknown }[] } }).spec;
    assert.deepEqual(template.containers[0]?.resources, {
      requests: { cpu: '500m', memory: '2Gi' },
      limits: { cpu: '2000m', memory: '4Gi' },
    });
    assert.equal(istiod.spec?.replicas, undefined, 'the HPA owns the replica count');
    const hpa = find(manifests, 'HorizontalPodAutoscaler', 'istiod');
    assert.equal(hpa.apiVersion, 'autoscaling/v2');
    assert.equal(hpa.spec?.minReplicas, 2);
    assert.equal(hpa.spec?.maxReplicas, 5);
    find(manifests, 'HorizontalPodAutoscaler', 'istio-ingressgateway');
    const ingress = find(manifests, 'Service', 'istio-ingressgateway');
    assert.equal(ingress.spec?.type, 'LoadBalancer');
    assert.deepEqual(
      (ingress.spec?.ports as { port: number }[]).map((port) => port.port),
      [15021, 80, 443],
    );
    find(manifests, 'Deployment', 'istio-egressgateway');
    assert.equal(manifests.filter((m) => m.kind === 'PodDisruptionBudget').length, 0, 'no PDB unless asked');
  });

  it('renders PDBs, affinity and replicaCount where the IstioOperator sets them', async () => {
    const ha = await generate(['-f', seed('000-02-istiooperator.yaml')]);
    const pdb = find(ha, 'PodDisruptionBudget', 'istiod');
    assert.equal(pdb.apiVersion, 'policy/v1');
    assert.equal(pdb.spec?.minAvailable, 2);
    const istiod = find(ha, 'Deployment', 'istiod');
    const podSpec = (istiod.spec?.template as { spec: Record<string, unknown> }).spec;
    assert.ok(podSpec.affinity, 'affinity goes into the pod spec');

    const replicas = await generate(['-f', seed('001-46-istiooperator.yaml')]);
    assert.equal(find(replicas, 'Deployment', 'istiod').spec?.replicas, 3);
    find(replicas, 'PodDisruptionBudget', 'istiod');
  });

  it('names a revision’s objects after it', async () => {
    const manifests = await generate(['-f', join(TESTDATA, 'revision-1-13.yaml')]);
    find(manifests, 'ConfigMap', 'istio-1-13');
    const istiod = find(manifests, 'Deployment', 'istiod-1-13');
    assert.equal(
      (istiod.spec?.selector as { matchLabels: Record<string, string> }).matchLabels['istio.io/rev'],
      '1-13',
    );
    assert.equal(
      manifests.filter((m) => m.kind === 'Deployment').length,
      1,
      'profile minimal has no gateways',
    );
  });

  it('prints nothing for a broken IstioOperator and exits 79', async () => {
    const result = await runCli(['manifest', 'generate', '-f', seed('003-04-istiooperator.yaml')]);
    assert.equal(result.code, 79);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /spec\.components\.pilot\.k8s\.replicas: k8s has no "replicas"/);
  });
});
