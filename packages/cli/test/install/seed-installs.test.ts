// `heddle install -f <seed>` for every IstioOperator in the seeds, against one running mesh: each valid one is
// installed and verified, and its report says what applies here and what only applies on Kubernetes; each
// broken one is refused with the api package's file:line errors, exit 79, and nothing started.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { stackTraceIn } from '../helpers/run-cli.ts';
import { ANY_PORTS, meshDataDir, exists, heddle, seed } from './install-helpers.ts';

interface SeedCase {
  readonly file: string;
  /** Lines (or parts of lines) the report must contain. */
  readonly reports: readonly string[];
  /** Text the report must not contain. */
  readonly absent?: readonly string[];
}

const VALID_SEEDS: readonly SeedCase[] = [
  {
    file: '000-01-istiooperator.yaml',
    reports: [
      'IstioOperator istio-production from',
      'control plane     istiod, 1 replica (the IstioOperator asks for 2: replicas apply on Kubernetes/etcd',
      'ingress gateway   istio-ingressgateway.istio-system (labels istio=ingressgateway,app=istio-ingressgateway)',
      'egress gateway    istio-egressgateway.istio-system (labels istio=egressgateway,app=istio-egressgateway)',
      'meshConfig        ConfigMap istio-system/istio',
      'accessLogFile: /dev/stdout',
      'enableTracing: true',
      'defaultConfig.concurrency: 2',
      'outboundTrafficPolicy.mode: REGISTRY_ONLY',
      'defaultConfig.tracing.zipkin.address: zipkin.monitoring:9411',
      'proxy heap        --max-old-space-size=384 for sidecars and gateways (75% of the 512Mi memory limit)',
      'proxy workers     2',
      '  components.pilot.k8s.resources',
      '  components.pilot.k8s.hpaSpec',
      '  components.ingressGateways[istio-ingressgateway].k8s.service',
      '  values.global.proxy.resources (except limits.memory)',
    ],
  },
  {
    file: '000-02-istiooperator.yaml',
    reports: [
      'istiod, 1 replica (the IstioOperator asks for 3',
      '  components.pilot.k8s.hpaSpec',
      '  components.pilot.k8s.podDisruptionBudget',
      '  components.pilot.k8s.affinity',
      'meshConfig        ConfigMap istio-system/istio (Istio defaults)',
    ],
    absent: ['egress gateway'],
  },
  {
    file: '000-03-istiooperator.yaml',
    reports: [
      'control plane     istiod, 1 replica\n',
      'ingress gateway   istio-ingressgateway.istio-system',
      '  components.ingressGateways[istio-ingressgateway].k8s.hpaSpec',
      '  components.ingressGateways[istio-ingressgateway].k8s.podDisruptionBudget',
      '  components.ingressGateways[istio-ingressgateway].k8s.affinity',
    ],
  },
  {
    file: '000-17-istiooperator.yaml',
    reports: [
      'proxy heap        --max-old-space-size=384 for sidecars and gateways (75% of the 512Mi memory limit)',
      '  values.global.proxy.resources (except limits.memory)',
    ],
    absent: ['proxy workers'],
  },
  {
    file: '000-19-istiooperator.yaml',
    reports: ['defaultConfig.concurrency: 2', 'proxy workers     2'],
    absent: ['Applies on Kubernetes', 'proxy heap'],
  },
  {
    file: '000-25-istiooperator.yaml',
    reports: [
      'IstioOperator ecommerce-istio from',
      'asks for 2',
      'defaultConfig.tracing.zipkin.address: jaeger-collector.monitoring:9411',
      'outboundTrafficPolicy.mode: REGISTRY_ONLY',
      '--max-old-space-size=384',
    ],
    absent: ['egress gateway'],
  },
  {
    file: '001-40-istiooperator.yaml',
    reports: ['--max-old-space-size=192 for sidecars and gateways (75% of the 256Mi memory limit)'],
  },
  {
    file: '001-42-istiooperator.yaml',
    reports: ['Applies on Kubernetes', '  values.telemetry.v2.prometheus'],
  },
  {
    file: '001-46-istiooperator.yaml',
    reports: [
      'asks for 3',
      '  components.pilot.k8s.podDisruptionBudget',
      'values.pilot.env (EXTERNAL_ISTIOD, PILOT_ENABLE_WORKLOAD_ENTRY_AUTO_REGISTRATION)',
    ],
  },
  {
    file: '003-01-istiooperator.yaml',
    reports: ['asks for 2', '  components.pilot.k8s.hpaSpec', '  components.pilot.k8s.resources'],
  },
  {
    file: '003-08-istiooperator.yaml',
    reports: [
      'accessLogFile: ""',
      'enablePrometheusMerge: false',
      'defaultConfig.proxyMetadata.OUTPUT_CERTS: false',
    ],
    absent: ['Applies on Kubernetes'],
  },
];

interface BrokenSeed {
  readonly file: string;
  /** `file:line` and field of each error, in order, with a word of its message. */
  readonly errors: readonly { readonly line: number; readonly field: string; readonly says: string }[];
}

const BROKEN_SEEDS: readonly BrokenSeed[] = [
  {
    file: '000-14-istiooperator.yaml',
    errors: [{ line: 5, field: 'spec.addonComponents', says: 'addonComponents (grafana) was removed' }],
  },
  {
    file: '000-15-istiooperator.yaml',
    errors: [{ line: 5, field: 'spec.addonComponents', says: 'addonComponents (tracing) was removed' }],
  },
  {
    file: '002-04-istiooperator-namespace.yaml',
    errors: [
      { line: 15, field: 'spec.profile', says: '"production" is not an installation profile' },
      { line: 52, field: 'spec.meshConfig.enableAutoMTLS', says: 'write "enableAutoMtls"' },
    ],
  },
  {
    file: '003-03-istiooperator.yaml',
    errors: [{ line: 8, field: 'spec.components.ingressGateways[0].k8s.replicas', says: 'replicaCount' }],
  },
  {
    file: '003-04-istiooperator.yaml',
    errors: [{ line: 7, field: 'spec.components.pilot.k8s.replicas', says: 'replicaCount' }],
  },
  {
    file: '003-05-istiooperator.yaml',
    errors: [{ line: 8, field: 'spec.components.ingressGateways[0].k8s.replicas', says: 'replicaCount' }],
  },
];

describe('heddle install with the seeds’ IstioOperators', { timeout: 600_000 }, () => {
  it('installs and verifies each valid seed on one running mesh, reporting what applies', async (t) => {
    const dataDir = await meshDataDir(t);
    let started = false;
    for (const { file, reports, absent = [] } of VALID_SEEDS) {
      // The first install starts Heddle; the others reconfigure it.
      const result = await heddle(dataDir, [
        'install',
        '-f',
        seed(file),
        '--verify',
        '-y',
        ...(started ? [] : ANY_PORTS),
      ]);
      started = true;
      assert.equal(result.code, 0, `${file}\n${result.stdout}\n${result.stderr}`);
      for (const line of reports)
        assert.ok(
          result.stdout.includes(line),
          `${file}: report lacks ${JSON.stringify(line)}\n${result.stdout}`,
        );
      for (const text of absent)
        assert.ok(
          !result.stdout.includes(text),
          `${file}: report has ${JSON.stringify(text)}\n${result.stdout}`,
        );
      assert.match(result.stdout, /✔ Heddle is installed and verified successfully/, file);
      const profile = JSON.parse(
        await readFile(join(dataDir, 'install', 'profiles', 'default.json'), 'utf8'),
      ) as {
        origins: string[];
      };
      assert.ok(profile.origins[0]?.startsWith(seed(file)), 'the installed profile names its file');
    }
    // The last seed's meshConfig is what the control plane reads now.
    const running = JSON.parse(await readFile(join(dataDir, 'install', 'running.json'), 'utf8')) as {
      revisions: Record<string, { url: string }>;
    };
    const configMap = (await (
      await fetch(`${running.revisions['']?.url}/apis/v1/resources/ConfigMap/istio-system/istio`)
    ).json()) as {
      data: { mesh: string };
    };
    assert.deepEqual(parse(configMap.data.mesh), {
      defaultConfig: { proxyMetadata: { OUTPUT_CERTS: 'false' } },
      accessLogFile: '',
      enablePrometheusMerge: false,
    });
  });

  it('refuses each broken seed with its file:line errors and exit 79, starting nothing', async (t) => {
    const dataDir = await meshDataDir(t);
    for (const { file, errors } of BROKEN_SEEDS) {
      const result = await heddle(dataDir, ['install', '-f', seed(file), ...ANY_PORTS], 30_000);
      assert.equal(result.code, 79, `${file}: ${result.stderr}`);
      assert.equal(result.stdout, '');
      assert.equal(stackTraceIn(result), undefined);
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines.length, errors.length + 1, result.stderr);
      errors.forEach((error, index) => {
        const line = lines[index] ?? '';
        assert.ok(line.includes(`${seed(file)}:${error.line})`), `${file}: ${line}`);
        assert.ok(line.includes(` ${error.field}: `), `${file}: ${line}`);
        assert.ok(line.includes(error.says), `${file}: ${line}`);
      });
      assert.equal(
        lines.at(-1),
        `heddle: the IstioOperator is not valid (${errors.length} error${errors.length === 1 ? '' : 's'}); nothing was installed`,
      );
    }
    for (const left of ['heddle.pid', 'state.json', 'install', 'control'])
      assert.equal(await exists(join(dataDir, left)), false, `${left} was created`);
  });
});
