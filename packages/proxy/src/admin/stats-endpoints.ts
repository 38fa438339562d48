// `/stats` (text, `?format=json`, `?format=prometheus`) and `/stats/prometheus`, with Envoy's `filter` and
// `usedonly` parameters.
import { renderPrometheus } from '../stats/prometheus-format.ts';
import type { StatsStore } from '../stats/stats-store.ts';
import { renderStatsJson, renderStatsText, type StatsQuery } from '../stats/text-format.ts';
import { jsonReply, queryFlag, textReply, type AdminEndpoint, type AdminResponse } from './admin-endpoint.ts';

const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** An admin-supplied regex is compiled per request (never on the data path); its size is still bounded. */
const MAX_FILTER_LENGTH = 256;

export function statsEndpoints(stats: StatsStore): AdminEndpoint[] {
  const prometheus = (query: StatsQuery): AdminResponse => ({
    status: 200,
    contentType: PROMETHEUS_CONTENT_TYPE,
    body: renderPrometheus(stats.snapshot(), query),
  });
  return [
    {
      path: '/stats',
      help: 'print server stats (?filter=<regex>, ?usedonly, ?format=json|prometheus)',
      methods: ['GET'],
      handle: ({ query }) => {
        const parsed = statsQuery(query);
        if ('error' in parsed) return textReply(parsed.error, 400);
        const format = query.get('format') ?? 'text';
        if (format === 'json') return jsonReply(renderStatsJson(stats.snapshot(), parsed));
        if (format === 'prometheus') return prometheus(parsed);
        if (format !== 'text') return textReply(`unknown format "${format}" (text, json, prometheus)`, 400);
        return textReply(renderStatsText(stats.snapshot(), parsed));
      },
    },
    {
      path: '/stats/prometheus',
      help: 'print server stats in Prometheus format (?filter=<regex>, ?usedonly)',
      methods: ['GET'],
      handle: ({ query }) => {
        const parsed = statsQuery(query);
        return 'error' in parsed ? textReply(parsed.error, 400) : prometheus(parsed);
      },
    },
  ];
}

function statsQuery(query: URLSearchParams): StatsQuery | { readonly error: string } {
  const filter = query.get('filter');
  const usedOnly = queryFlag(query, 'usedonly');
  if (filter === null || filter === '') return { usedOnly };
  if (filter.length > MAX_FILTER_LENGTH)
    return { error: `filter longer than ${MAX_FILTER_LENGTH} characters` };
  try {
    return { usedOnly, filter: new RegExp(filter) };
  } catch (error) {
    return { error: `invalid filter regex: ${(error as Error).message}` };
  }
}
