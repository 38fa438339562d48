// The tabs across the top; each is a link to its view's hash, so the browser's history works.
import { routeHash, type Route, type ViewName } from '../lib/route.ts';

const TITLES: Readonly<Record<ViewName, string>> = {
  overview: 'Overview',
  graph: 'Graph',
  proxies: 'Proxies',
  config: 'Config',
  findings: 'Findings',
  traces: 'Traces',
};

/** The tab a detail page belongs under: workloads and services are reached from the graph. */
function activeTab(route: Route): ViewName {
  return route.view === 'workload' || route.view === 'service' ? 'graph' : route.view;
}

export function NavTabs({ route }: { route: Route }) {
  const active = activeTab(route);
  return (
    <nav class="tabs" aria-label="Views">
      {(Object.keys(TITLES) as ViewName[]).map((view) => (
        <a
          key={view}
          href={routeHash({ view })}
          class={view === active ? 'tab active' : 'tab'}
          aria-current={view === active ? 'page' : undefined}
        >
          {TITLES[view]}
        </a>
      ))}
    </nav>
  );
}
