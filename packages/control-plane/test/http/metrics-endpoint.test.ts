// /metrics exposes the pilot_* series with Istio's names, with values that follow what happened.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CLUSTER_TYPE_URL } from '@heddle/xds';
import type { ControlPlane } from '../../src/index.ts';
import { SotwClient, sidecarXdsNode } from '../support/ads-client.ts';
import {
  apiUrl,
  applyYamlText,
  serviceEntryYaml,
  startTestControlPlane,
} from '../support/test-control-plane.ts';

/** The value of one series, e.g. `pilot_xds{version="1.24.0"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', { timeout: 20_000 }, () => {
  let cp: ControlPlane;
  let good: SotwClient;
  let bad: SotwClient;
  let text: string;
  let contentType: string | null;

  before(async () => {
    cp = await startTestControlPlane();
    good = new SotwClient(cp.xdsPort);
    bad = new SotwClient(cp.xdsPort);
    good.send({ node: sidecarXdsNode('good', 'm'), typeUrl: CLUSTER_TYPE_URL });
    bad.send({ node: sidecarXdsNode('bad', 'm'), typeUrl: CLUSTER_TYPE_URL });
    const accepted = await good.next();
    const refused = await bad.next();
    good.send({
      typeUrl: CLUSTER_TYPE_URL,
      versionInfo: accepted.versionInfo,
      responseNonce: accepted.nonce,
    });
    bad.send({
      typeUrl: CLUSTER_TYPE_URL,
      responseNonce: refused.nonce,
      errorDetail: { code: 3, message: 'nope' },
    });
    await applyYamlText(cp, serviceEntryYaml('things', 'm'));
    await good.next();
    await cp.idle();
    const response = await fetch(apiUrl(cp, '/metrics'));
    contentType = response.headers.get('content-type');
    text = await response.text();
  });
  after(async () => {
    good.close();
    bad.close();
    await cp.close();
  });

  it('uses the Prometheus text format 0.0.4', () => {
    assert.equal(contentType, 'text/plain; version=0.0.4; charset=utf-8');
    assert.match(text, /^# HELP pilot_xds Number of endpoints connected to this pilot using XDS\.$/m);
    assert.match(text, /^# TYPE pilot_xds gauge$/m);
    assert.match(text, /^# TYPE pilot_proxy_convergence_time histogram$/m);
  });

  it('counts connected proxies, pushes and rejects', () => {
    assert.equal(sample(text, 'pilot_xds{version="1.24.0"}'), 2);
    assert.ok(
      (sample(text, 'pilot_xds_pushes{type="cds"}') ?? 0) >= 4,
      'two initial responses and two pushes',
    );
    assert.equal(sample(text, 'pilot_total_xds_rejects{type="cds"}'), 1);
    const node = sidecarXdsNode('bad', 'm').id;
    assert.equal(sample(text, `pilot_xds_cds_reject{node="${node}",err="3"}`), 1);
    assert.equal(sample(text, 'pilot_xds_push_errors{type="translate"}'), 0);
    assert.equal(sample(text, 'pilot_xds_write_timeout'), 0);
    assert.equal(sample(text, 'pilot_services'), 1);
    assert.equal(sample(text, 'pilot_push_triggers{type="config"}'), 1);
    assert.equal(sample(text, 'pilot_k8s_cfg_events{type="ServiceEntry",event="update"}'), 1);
  });

  it('records convergence, push and debounce times as histograms', () => {
    const converged = sample(text, 'pilot_proxy_convergence_time_count') ?? 0;
    assert.ok(converged >= 1);
    assert.equal(sample(text, 'pilot_proxy_convergence_time_bucket{le="+Inf"}'), converged);
    assert.ok((sample(text, 'pilot_proxy_convergence_time_sum') ?? -1) >= 0);
    assert.ok((sample(text, 'pilot_xds_push_time_count{type="cds"}') ?? 0) >= 1);
    assert.equal(sample(text, 'pilot_debounce_time_count'), 1);
    assert.equal(sample(text, 'pilot_proxy_queue_time_count'), 2);
  });

  it('exposes process metrics', () => {
    assert.ok((sample(text, 'process_cpu_seconds_total') ?? 0) > 0);
    assert.ok((sample(text, 'process_resident_memory_bytes') ?? 0) > 1_000_000);
    const start = sample(text, 'process_start_time_seconds') ?? 0;
    assert.ok(Math.abs(start - Date.now() / 1000) < 3600);
    assert.ok((sample(text, 'nodejs_heap_size_used_bytes') ?? 0) > 0);
  });

  it('stops counting a proxy once it disconnects', async () => {
    bad.close();
    for (let i = 0; i < 50; i++) {
      const now = await (await fetch(apiUrl(cp, '/metrics'))).text();
      if (sample(now, 'pilot_xds{version="1.24.0"}') === 1) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail('pilot_xds did not drop to 1');
  });
});
