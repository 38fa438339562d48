// Waits for SIGINT or SIGTERM; a second signal while stopping ends the process at once, as servers do.

export type StopSignal = 'SIGINT' | 'SIGTERM';

const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM'];

/** The part of `process` this needs, so tests can pass a plain EventEmitter. */
export interface SignalTarget {
  on(signal: StopSignal, listener: (signal: StopSignal) => void): unknown;
  off(signal: StopSignal, listener: (signal: StopSignal) => void): unknown;
}

export interface StopWatch {
  /** Resolves with the first stop signal. */
  readonly stopped: Promise<StopSignal>;
  /** True once a stop signal arrived. */
  readonly received: () => boolean;
  /** Removes the listeners (the process's default handling comes back). */
  dispose(): void;
}

/** Installs the listeners now, so a signal that arrives while starting is not lost. */
export function watchStopSignals(target: SignalTarget, onRepeat: (signal: StopSignal) => void): StopWatch {
  let first: StopSignal | undefined;
  let resolveStopped: (signal: StopSignal) => void = () => undefined;
  const stopped = new Promise<StopSignal>((resolve) => (resolveStopped = resolve));
  const listener = (signal: StopSignal): void => {
    if (first !== undefined) {
      onRepeat(signal);
      return;
    }
    first = signal;
    resolveStopped(signal);
  };
  for (const signal of STOP_SIGNALS) target.on(signal, listener);
  return {
    stopped,
    received: () => first !== undefined,
    dispose: () => {
      for (const signal of STOP_SIGNALS) target.off(signal, listener);
    },
  };
}
