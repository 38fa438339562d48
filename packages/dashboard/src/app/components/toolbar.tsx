// The controls every view shares: time window, namespace filter, auto-refresh pause and a manual refresh.
import { formatWindow } from '../lib/format.ts';
import { WINDOWS } from '../settings.ts';

export interface ToolbarProps {
  readonly windowSeconds: number;
  readonly namespace: string;
  readonly namespaces: readonly string[];
  readonly paused: boolean;
  readonly lastRefresh: Date | undefined;
  readonly onWindow: (seconds: number) => void;
  readonly onNamespace: (namespace: string) => void;
  readonly onPause: (paused: boolean) => void;
  readonly onRefresh: () => void;
}

export function Toolbar(props: ToolbarProps) {
  const options =
    props.namespace && !props.namespaces.includes(props.namespace)
      ? [...props.namespaces, props.namespace].sort()
      : props.namespaces;
  return (
    <div class="toolbar">
      <label>
        Window{' '}
        <select
          aria-label="Time window"
          value={String(props.windowSeconds)}
          onChange={(event) => props.onWindow(Number(event.currentTarget.value))}
        >
          {WINDOWS.map((seconds) => (
            <option key={seconds} value={String(seconds)}>
              {formatWindow(seconds)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Namespace{' '}
        <select
          aria-label="Namespace"
          value={props.namespace}
          onChange={(event) => props.onNamespace(event.currentTarget.value)}
        >
          <option value="">All namespaces</option>
          {options.map((namespace) => (
            <option key={namespace} value={namespace}>
              {namespace}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => props.onPause(!props.paused)} aria-pressed={props.paused}>
        {props.paused ? 'Resume auto-refresh' : 'Pause auto-refresh'}
      </button>
      <button type="button" onClick={props.onRefresh}>
        Refresh
      </button>
      <span class="refresh-note" data-testid="refresh-note">
        {props.paused ? 'paused' : 'every 5 s'}
        {props.lastRefresh ? ` · updated ${props.lastRefresh.toLocaleTimeString()}` : ''}
      </span>
    </div>
  );
}
