// Traces: the newest traces the control plane's Zipkin collector holds, with a span waterfall on click.
import { useState } from 'preact/hooks';
import { fetchTraces, type ZipkinSpan } from '../../client/index.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { Loading } from '../components/loading.tsx';
import { formatMicros, NO_DATA } from '../lib/format.ts';
import { summarizeTrace, type TraceSummary } from '../lib/trace-summary.ts';
import { useSettings } from '../settings.ts';
import { usePolling } from '../use-polling.ts';

const TRACE_LIMIT = 50;

export function TracesView() {
  const { tick } = useSettings();
  const traces = usePolling((signal) => fetchTraces(TRACE_LIMIT, { signal }), 'traces', tick);
  const [open, setOpen] = useState('');
  const rows = (traces.data ?? []).flatMap((spans) => {
    const summary = summarizeTrace(spans);
    return summary ? [{ summary, spans }] : [];
  });
  return (
    <div class="view" data-testid="traces-view">
      <ErrorBanner errors={[traces.error]} />
      {traces.data ? (
        <table data-testid="traces-table">
          <caption>Newest {TRACE_LIMIT} traces (Zipkin collector of the control plane)</caption>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Root span</th>
              <th scope="col">Service</th>
              <th scope="col" class="num">
                Duration
              </th>
              <th scope="col" class="num">
                Spans
              </th>
              <th scope="col">Trace id</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6} class="empty">
                  No traces yet. Proxies report spans when meshConfig enables tracing (a Telemetry resource or
                  defaultConfig.tracing) and a request is sampled.
                </td>
              </tr>
            ) : (
              rows.flatMap(({ summary, spans }) => [
                <TraceRow
                  key={summary.traceId}
                  summary={summary}
                  open={open === summary.traceId}
                  onToggle={() => setOpen(open === summary.traceId ? '' : summary.traceId)}
                />,
                open === summary.traceId ? (
                  <tr key={`${summary.traceId}/spans`}>
                    <td colSpan={6}>
                      <Waterfall spans={spans} />
                    </td>
                  </tr>
                ) : null,
              ])
            )}
          </tbody>
        </table>
      ) : (
        <Loading failed={traces.error !== undefined} />
      )}
    </div>
  );
}

function TraceRow({
  summary,
  open,
  onToggle,
}: {
  summary: TraceSummary;
  open: boolean;
  onToggle: () => void;
}) {
  return (
    <tr class={summary.failed ? 'failing' : undefined}>
      <td>
        {summary.startMicros === undefined
          ? NO_DATA
          : new Date(summary.startMicros / 1000).toLocaleTimeString()}
      </td>
      <td>
        <button type="button" class="link" aria-expanded={open} onClick={onToggle}>
          {summary.rootName}
        </button>
      </td>
      <td>{summary.rootService}</td>
      <td class="num">{formatMicros(summary.durationMicros)}</td>
      <td class="num">{summary.spanCount}</td>
      <td>
        <code>{summary.traceId.slice(0, 16)}</code>
      </td>
    </tr>
  );
}

/** Spans in start order, indented by depth, each bar placed on the trace's time line. */
function Waterfall({ spans }: { spans: readonly ZipkinSpan[] }) {
  const ordered = [...spans].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  const start = Math.min(...ordered.map((span) => span.timestamp ?? Infinity));
  const end = Math.max(...ordered.map((span) => (span.timestamp ?? 0) + (span.duration ?? 0)));
  const total = Math.max(1, end - start);
  const byId = new Map(spans.map((span) => [span.id, span]));
  const depth = (span: ZipkinSpan): number => {
    let level = 0;
    for (
      let parent = span.parentId;
      parent && byId.has(parent) && level < 32;
      parent = byId.get(parent)?.parentId
    )
      level++;
    return level;
  };
  return (
    <ol class="waterfall" aria-label="Spans">
      {ordered.map((span) => {
        const left = (((span.timestamp ?? start) - start) / total) * 100;
        const width = Math.max(0.5, ((span.duration ?? 0) / total) * 100);
        return (
          <li key={span.id}>
            <span class="span-name" style={{ paddingLeft: `${depth(span) * 12}px` }}>
              {span.localEndpoint?.serviceName ?? '?'} · {span.kind ?? 'SPAN'} · {span.name ?? ''}
            </span>
            <span class="span-track">
              <span class="span-bar" style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }} />
            </span>
            <span class="span-duration">{formatMicros(span.duration)}</span>
          </li>
        );
      })}
    </ol>
  );
}
