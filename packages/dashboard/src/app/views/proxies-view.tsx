// Proxies: `istioctl proxy-status` in the browser, from the control plane's /debug/syncz.
import { fetchProxyStatus } from '../../client/index.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { Loading } from '../components/loading.tsx';
import { ProxyTable } from '../components/proxy-table.tsx';
import { Stat } from '../components/stat-card.tsx';
import { buildProxyRows, countByStatus } from '../lib/proxy-rows.ts';
import { useSettings } from '../settings.ts';
import { usePolling } from '../use-polling.ts';

export function ProxiesView() {
  const { tick, namespace } = useSettings();
  const proxies = usePolling((signal) => fetchProxyStatus({ signal }), 'syncz', tick);
  const shown = (proxies.data ?? []).filter((status) => !namespace || status.namespace === namespace);
  const counts = countByStatus(buildProxyRows(shown));
  return (
    <div class="view" data-testid="proxies-view">
      <ErrorBanner errors={[proxies.error]} />
      {proxies.data ? (
        <>
          <div class="stats">
            <Stat label="proxies" value={shown.length} />
            <Stat label="SYNCED" value={counts.SYNCED} tone="good" />
            <Stat label="STALE" value={counts.STALE} tone={counts.STALE > 0 ? 'warn' : undefined} />
            <Stat label="NACKED" value={counts.NACKED} tone={counts.NACKED > 0 ? 'bad' : undefined} />
          </div>
          <ProxyTable
            statuses={shown}
            caption={`Connected proxies${namespace ? ` in ${namespace}` : ''} (a proxy counts as its worst type)`}
          />
        </>
      ) : (
        <Loading failed={proxies.error !== undefined} />
      )}
    </div>
  );
}
