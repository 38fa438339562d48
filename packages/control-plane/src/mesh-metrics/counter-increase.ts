// How much a counter grew between two readings. A reading below the previous one means the counter started
// again from zero (the proxy restarted), so everything it counts now is new, as PromQL's increase() assumes.

export function counterIncrease(previous: number | undefined, current: number): number {
  if (!Number.isFinite(current) || current < 0) return 0;
  if (previous === undefined) return current;
  return current >= previous ? current - previous : current;
}
