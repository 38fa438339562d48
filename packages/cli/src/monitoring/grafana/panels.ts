// Small builders for importable Grafana dashboard JSON: a Prometheus datasource input, template variables,
// and timeseries/stat panels laid out in rows of a 24-column grid.

export interface Query {
  readonly expr: string;
  readonly legend?: string;
}

export interface PanelSpec {
  readonly title: string;
  readonly type: 'timeseries' | 'stat';
  readonly unit: string;
  readonly queries: readonly Query[];
  readonly description?: string;
  /** Grid width out of 24; default 12 for timeseries, 6 for stat. */
  readonly width?: number;
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** Lays panels out left to right, wrapping rows; ids are stable positions. */
export function layoutPanels(specs: readonly PanelSpec[]): unknown[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return specs.map((spec, index) => {
    const w = spec.width ?? (spec.type === 'stat' ? 6 : 12);
    const h = spec.type === 'stat' ? 4 : 8;
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w, h };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return {
      id: index + 1,
      type: spec.type,
      title: spec.title,
      ...(spec.description ? { description: spec.description } : {}),
      datasource: DATASOURCE,
      gridPos,
      fieldConfig: { defaults: { unit: spec.unit }, overrides: [] },
      options:
        spec.type === 'stat'
          ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value' }
          : {
              legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
              tooltip: { mode: 'multi' },
            },
      targets: spec.queries.map((query, q) => ({
        datasource: DATASOURCE,
        expr: query.expr,
        legendFormat: query.legend ?? '__auto',
        refId: String.fromCharCode(65 + q),
      })),
    };
  });
}

export function datasourceVariable(): unknown {
  return {
    name: 'datasource',
    label: 'Data source',
    type: 'datasource',
    query: 'prometheus',
    current: {},
    hide: 0,
  };
}

/** A variable filled from label values of a metric (`label_values(metric, label)`). */
export function labelVariable(name: string, label: string, metric: string, multi = false): unknown {
  const query = `label_values(${metric}, ${label})`;
  return {
    name,
    label: name,
    type: 'query',
    datasource: DATASOURCE,
    query: { query, refId: `${name}-query` },
    definition: query,
    refresh: 2,
    sort: 1,
    multi,
    includeAll: multi,
    current: {},
    hide: 0,
  };
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly variables: readonly unknown[];
  readonly panels: readonly PanelSpec[];
}

/** A dashboard Grafana imports as is (Dashboards → Import), asking only for the Prometheus data source. */
export function dashboardJson(spec: DashboardSpec): unknown {
  return {
    __inputs: [
      {
        name: 'DS_PROMETHEUS',
        label: 'Prometheus',
        type: 'datasource',
        pluginId: 'prometheus',
        pluginName: 'Prometheus',
      },
    ],
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['heddle', 'istio'],
    editable: true,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    timezone: 'browser',
    templating: { list: [datasourceVariable(), ...spec.variables] },
    annotations: { list: [] },
    panels: layoutPanels(spec.panels),
  };
}
