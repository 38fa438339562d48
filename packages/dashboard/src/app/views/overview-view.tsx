// Overview: the control plane, proxy sync counts, stored config, registry sizes, findings and mesh traffic.
import type { DashboardOverview } from '@heddle/api';
import { fetchOverview } from '../../client/index.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { Loading } from '../components/loading.tsx';
import { Card, Stat } from '../components/stat-card.tsx';
import { formatAge, formatMs, formatPercent, formatRate, formatWindow } from '../lib/format.ts';
import { useSettings } from '../settings.ts';
import { usePolling } from '../use-polling.ts';

export function OverviewView() {
  const { tick, windowSeconds } = useSettings();
  const overview = usePolling(
    (signal) => fetchOverview(windowSeconds, { signal }),
    `overview:${windowSeconds}`,
    tick,
  );
  return (
    <div class="view" data-testid="overview-view">
      <ErrorBanner errors={[overview.error]} />
      {overview.data ? (
        <OverviewCards overview={overview.data} />
      ) : (
        <Loading failed={overview.error !== undefined} />
      )}
    </div>
  );
}

function OverviewCards({ overview }: { overview: DashboardOverview }) {
  const { controlPlane: cp, proxies, config, findings, traffic, scrape } = overview;
  const now = Date.parse(overview.generatedAt) || Date.now();
  return (
    <div class="cards">
      <Card title="Control plane">
        <dl class="facts">
          <dt>Replica</dt>
          <dd data-testid="cp-id">{cp.id}</dd>
          <dt>Version</dt>
          <dd>{cp.version}</dd>
          <dt>Store</dt>
          <dd>{cp.store}</dd>
          <dt>Up for</dt>
          <dd>{formatAge(cp.startedAt, now)}</dd>
          <dt>CA</dt>
          <dd>{cp.caEnabled ? 'enabled' : 'disabled'}</dd>
          <dt>Metrics scrape</dt>
          <dd>
            {scrape.healthy}/{scrape.targets} proxies every {scrape.intervalSeconds} s
          </dd>
        </dl>
      </Card>
      <Card title="Proxies">
        <div class="stats">
          <Stat label="total" value={proxies.total} testId="proxies-total" />
          <Stat label="SYNCED" value={proxies.synced} tone="good" testId="proxies-synced" />
          <Stat
            label="STALE"
            value={proxies.stale}
            tone={proxies.stale > 0 ? 'warn' : undefined}
            testId="proxies-stale"
          />
          <Stat
            label="NACKED"
            value={proxies.nacked}
            tone={proxies.nacked > 0 ? 'bad' : undefined}
            testId="proxies-nacked"
          />
          <Stat label="NOT SENT" value={proxies.notSent} testId="proxies-not-sent" />
        </div>
      </Card>
      <Card title={`Mesh traffic (last ${formatWindow(traffic.windowSeconds)})`}>
        <div class="stats">
          <Stat label="requests" value={formatRate(traffic.requestsPerSecond)} testId="mesh-rps" />
          <Stat
            label="errors (5xx)"
            value={formatPercent(traffic.errorRate)}
            tone={traffic.errorRate > 0.05 ? 'bad' : traffic.errorRate > 0 ? 'warn' : undefined}
            testId="mesh-error-rate"
          />
          <Stat label="p50" value={formatMs(traffic.p50Ms)} testId="mesh-p50" />
          <Stat label="p99" value={formatMs(traffic.p99Ms)} testId="mesh-p99" />
        </div>
      </Card>
      <Card title="Registry">
        <div class="stats">
          <Stat label="services" value={overview.services} testId="services-count" />
          <Stat label="workloads" value={overview.workloads} testId="workloads-count" />
        </div>
      </Card>
      <Card title="Findings">
        <div class="stats">
          <Stat
            label="errors"
            value={findings.errors}
            tone={findings.errors > 0 ? 'bad' : undefined}
            testId="findings-errors"
          />
          <Stat
            label="warnings"
            value={findings.warnings}
            tone={findings.warnings > 0 ? 'warn' : undefined}
            testId="findings-warnings"
          />
          <Stat label="infos" value={findings.infos} testId="findings-infos" />
        </div>
        <p>
          <a href="#/findings">See all findings</a>
        </p>
      </Card>
      <Card title={`Config (${config.total} resources)`}>
        <table class="compact" data-testid="config-by-kind">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col" class="num">
                Count
              </th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(config.byKind)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([kind, count]) => (
                <tr key={kind}>
                  <td>{kind}</td>
                  <td class="num">{count}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
