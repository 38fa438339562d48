// What the dashboard routes read beyond the API context: the scraped metrics, the built app's folder and
// the facts the overview shows about this control plane.
import type { MeshMetricsScraper } from '../mesh-metrics/mesh-metrics-scraper.ts';

export interface DashboardContext {
  readonly version: string;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  /** `sqlite`, `memory`, `etcd`, `kubernetes`. */
  readonly storeKind: string;
  readonly metrics: MeshMetricsScraper;
  /** The built dashboard (index.html and assets); absent: /dashboard/ is not served. */
  readonly dir?: string;
  readonly now: () => number;
}

/** The store's kind from its class name, for stores the control plane did not open itself. */
export function storeKindOf(store: object): string {
  const name = store.constructor.name.toLowerCase();
  for (const kind of ['sqlite', 'memory', 'etcd', 'kubernetes']) if (name.includes(kind)) return kind;
  return name.replace(/configstore$|store$/, '') || 'custom';
}
