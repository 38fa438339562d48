// What every view shares: the time window, the namespace filter, the refresh tick, and how to navigate.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Route } from './lib/route.ts';

/** The window selector's choices, in seconds. */
export const WINDOWS = [60, 300, 900] as const;

export const REFRESH_INTERVAL_MS = 5000;

export interface DashboardSettings {
  readonly windowSeconds: number;
  /** '' for every namespace. */
  readonly namespace: string;
  /** Changes on each refresh; views pass it to usePolling. */
  readonly tick: number;
  readonly navigate: (route: Route) => void;
}

export const SettingsContext = createContext<DashboardSettings>({
  windowSeconds: 300,
  namespace: '',
  tick: 0,
  navigate: () => undefined,
});

export function useSettings(): DashboardSettings {
  return useContext(SettingsContext);
}
