// Polls a readiness URL (the control plane's /ready, a proxy's /healthz/ready) until it answers 200, the time
// runs out, or the caller gives up (a stop signal, the component crashed for good).
import { setTimeout as sleep } from 'node:timers/promises';

export type ReadyOutcome = 'ready' | 'timeout' | 'aborted';

export async function waitReady(
  url: string,
  timeoutMs: number,
  signal?: AbortSignal,
  intervalMs = 100,
): Promise<ReadyOutcome> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (signal?.aborted) return 'aborted';
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === 200) return 'ready';
    } catch {
      // Not listening yet.
    }
    try {
      await sleep(intervalMs, undefined, signal ? { signal } : {});
    } catch {
      return 'aborted';
    }
  }
  return 'timeout';
}
