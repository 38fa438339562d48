// Loads a view's data, again on every refresh tick and whenever its query changes; keeps the last good data
// while a later load fails, so a failing route shows a banner above stale numbers instead of a blank view.
import { useEffect, useState } from 'preact/hooks';

export interface Polled<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
}

/**
 * `key` names the query (window, namespace, target): a new key drops data that answered another question.
 * `tick` changes on each auto-refresh or manual refresh and reloads the same query.
 */
export function usePolling<T>(
  load: (signal: AbortSignal) => Promise<T>,
  key: string,
  tick: number,
): Polled<T> {
  const [state, setState] = useState<Polled<T> & { readonly key: string }>({
    data: undefined,
    error: undefined,
    loading: true,
    key,
  });
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) =>
      previous.key === key
        ? { ...previous, loading: true }
        : { data: undefined, error: undefined, loading: true, key },
    );
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false, key });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState((previous) => ({ ...previous, error, loading: false, key }));
      },
    );
    return () => controller.abort();
    // `load` is a fresh closure on every render; `key` and `tick` say when it asks something new.
  }, [key, tick]);
  return state.key === key ? state : { data: undefined, error: undefined, loading: true };
}
