// `heddle x monitoring`: alert rule groups on Heddle's metric names (the seeds' alerts), the PrometheusRule
// form, and importable Grafana dashboards whose queries use only metrics the mesh exports.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { CliIo } from '../src/cli-io.ts';
import { buildXCommand } from '../src/program/x-command.ts';

async function run(args: readonly string[]): Promise<{ stdout: string; code: number | undefined }> {
  let stdout = '';
  let code: number | undefined;
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: () => true },
    stdin: (async function* () {})(),
    env: {},
  };
  const command = buildXCommand({ io, setExitCode: (c) => (code = c) });
  command.exitOverride();
  await command.parseAsync([...args], { from: 'user' });
  return { stdout, code };
}

interface Rule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
}

const METRICS = /\b(istio_[a-z_]+|envoy_[a-z_]+|pilot_[a-z_]+|process_[a-z_]+|up)\b/g;
const EXPORTED = new Set([
  'istio_requests_total',
  'istio_request_duration_milliseconds_bucket',
  'istio_request_bytes_bucket',
  'istio_response_bytes_bucket',
  'istio_tcp_sent_bytes_total',
  'istio_tcp_received_bytes_total',
  'istio_tcp_connections_opened_total',
  'envoy_cluster_upstream_cx_overflow',
  'envoy_cluster_upstream_rq_pending_overflow',
  'envoy_cluster_outlier_detection_ejections_active',
  'envoy_server_memory_allocated',
  'envoy_cluster_name',
  'pilot_xds',
  'pilot_xds_pushes',
  'pilot_xds_push_errors',
  'pilot_total_xds_rejects',
  'pilot_proxy_convergence_time_bucket',
  'pilot_xds_push_time_bucket',
  'process_resident_memory_bytes',
  'process_cpu_seconds_total',
  'up',
]);

describe('heddle x monitoring alerts', () => {
  it("prints the seeds' alerts as rule groups on Heddle's metric names", async () => {
    const { stdout, code } = await run(['monitoring', 'alerts']);
    assert.equal(code, 0);
    const doc = parse(stdout) as { groups: { name: string; rules: Rule[] }[] };
    const rules = doc.groups.flatMap((g) => g.rules);
    const byName = Object.fromEntries(rules.map((r) => [r.alert, r]));
    for (const alert of [
      'HeddleHighErrorRate',
      'HeddleHighLatency',
      'HeddleControlPlaneDown',
      'HeddlePushErrors',
      'HeddleConnectionPoolOverflow',
      'HeddleProxyHighMemory',
    ])
      assert.ok(byName[alert], alert);
    assert.match(
      byName.HeddleHighLatency?.expr ?? '',
      /histogram_quantile\(0\.95, sum\(rate\(istio_request_duration_milliseconds_bucket\[5m\]\)\) by \(destination_service, le\)\) > 500/,
    );
    assert.match(byName.HeddleControlPlaneDown?.expr ?? '', /up\{job="heddle-control-plane"\} == 0/);
    assert.equal(byName.HeddleHighErrorRate?.for, '2m');
    for (const rule of rules)
      for (const [metric] of rule.expr.matchAll(METRICS))
        assert.ok(EXPORTED.has(metric), `${rule.alert}: ${metric}`);
  });

  it('overrides for:, the control-plane job and thresholds; wraps a PrometheusRule', async () => {
    const { stdout } = await run([
      'monitoring',
      'alerts',
      '--for',
      '0s',
      '--control-plane-job',
      'istiod',
      '--error-rate',
      '0.1',
      '--format',
      'prometheus-rule',
      '--namespace',
      'observability',
    ]);
    const doc = parse(stdout) as {
      kind: string;
      metadata: { namespace: string };
      spec: { groups: { rules: Rule[] }[] };
    };
    assert.equal(doc.kind, 'PrometheusRule');
    assert.equal(doc.metadata.namespace, 'observability');
    const rules = doc.spec.groups.flatMap((g) => g.rules);
    assert.ok(rules.every((r) => r.for === '0s'));
    assert.ok(rules.some((r) => r.expr === 'up{job="istiod"} == 0'));
    assert.ok(rules.some((r) => r.expr.endsWith('> 0.1')));
  });

  it('refuses a --for that is not a Prometheus duration', async () => {
    await assert.rejects(run(['monitoring', 'alerts', '--for', 'soon']), /not a Prometheus duration/);
  });
});

describe('heddle x monitoring grafana', () => {
  for (const dashboard of ['mesh', 'service', 'workload', 'control-plane']) {
    it(`prints an importable ${dashboard} dashboard on exported metrics`, async () => {
      const { stdout, code } = await run(['monitoring', 'grafana', '--dashboard', dashboard]);
      assert.equal(code, 0);
      const json = JSON.parse(stdout) as {
        uid: string;
        __inputs: unknown[];
        panels: { id: number; gridPos: { x: number; w: number }; targets: { expr: string }[] }[];
      };
      assert.equal(json.uid, `heddle-${dashboard}`);
      assert.equal(json.__inputs.length, 1);
      assert.ok(json.panels.length >= 6);
      assert.equal(new Set(json.panels.map((p) => p.id)).size, json.panels.length);
      for (const panel of json.panels) {
        assert.ok(panel.gridPos.x + panel.gridPos.w <= 24);
        for (const target of panel.targets)
          for (const [metric] of target.expr.matchAll(METRICS)) assert.ok(EXPORTED.has(metric), metric);
      }
    });
  }

  it('prints every dashboard with --dashboard all', async () => {
    const json = JSON.parse((await run(['monitoring', 'grafana', '--dashboard', 'all'])).stdout) as unknown[];
    assert.equal(json.length, 4);
  });
});
