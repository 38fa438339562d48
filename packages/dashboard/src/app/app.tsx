// The dashboard shell: header, tabs, shared controls, and the view the URL hash names.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { fetchRegistry } from '../client/index.ts';
import { ErrorBanner } from './components/error-banner.tsx';
import { HeddleMark } from './components/icons.tsx';
import { NavTabs } from './components/nav-tabs.tsx';
import { Toolbar } from './components/toolbar.tsx';
import { namespacesOf } from './lib/config-groups.ts';
import { parseRoute, routeHash, type Route } from './lib/route.ts';
import { REFRESH_INTERVAL_MS, SettingsContext, type DashboardSettings } from './settings.ts';
import { usePolling } from './use-polling.ts';
import { ConfigView } from './views/config-view.tsx';
import { DetailView } from './views/detail-view.tsx';
import { FindingsView } from './views/findings-view.tsx';
import { GraphView } from './views/graph-view.tsx';
import { OverviewView } from './views/overview-view.tsx';
import { ProxiesView } from './views/proxies-view.tsx';
import { TracesView } from './views/traces-view.tsx';

export function App() {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  const [windowSeconds, setWindowSeconds] = useState(300);
  const [namespace, setNamespace] = useState('');
  const [paused, setPaused] = useState(false);
  const [tick, setTick] = useState(0);
  const [lastRefresh, setLastRefresh] = useState<Date | undefined>(undefined);

  useEffect(() => {
    const onHash = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    if (paused) return undefined;
    const timer = window.setInterval(() => {
      // A hidden tab does not need fresh numbers; it catches up on the next tick after it is shown again.
      if (document.visibilityState !== 'hidden') setTick((value) => value + 1);
    }, REFRESH_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, [paused]);

  useEffect(() => setLastRefresh(new Date()), [tick]);

  const registry = usePolling((signal) => fetchRegistry({ signal }), 'registry', tick);
  const namespaces = useMemo(() => namespacesOf(registry.data ?? []), [registry.data]);

  const settings = useMemo<DashboardSettings>(
    () => ({
      windowSeconds,
      namespace,
      tick,
      navigate: (next: Route) => {
        window.location.hash = routeHash(next);
      },
    }),
    [windowSeconds, namespace, tick],
  );

  return (
    <SettingsContext.Provider value={settings}>
      <header class="top">
        <div class="brand">
          <HeddleMark /> Heddle
        </div>
        <NavTabs route={route} />
      </header>
      <Toolbar
        windowSeconds={windowSeconds}
        namespace={namespace}
        namespaces={namespaces}
        paused={paused}
        lastRefresh={lastRefresh}
        onWindow={setWindowSeconds}
        onNamespace={setNamespace}
        onPause={setPaused}
        onRefresh={() => setTick((value) => value + 1)}
      />
      <main>
        <ErrorBanner errors={[registry.error]} />
        <CurrentView route={route} />
      </main>
    </SettingsContext.Provider>
  );
}

function CurrentView({ route }: { route: Route }) {
  switch (route.view) {
    case 'overview':
      return <OverviewView />;
    case 'graph':
      return <GraphView />;
    case 'proxies':
      return <ProxiesView />;
    case 'config':
      return <ConfigView />;
    case 'findings':
      return <FindingsView />;
    case 'traces':
      return <TracesView />;
    case 'workload':
      return (
        <DetailView
          key={`w:${route.namespace}/${route.name}`}
          target={{ kind: 'workload', namespace: route.namespace, name: route.name }}
        />
      );
    case 'service':
      return (
        <DetailView
          key={`s:${route.namespace}/${route.host}`}
          target={{ kind: 'service', namespace: route.namespace, host: route.host }}
        />
      );
  }
}
