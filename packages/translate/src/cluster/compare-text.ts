// Code-unit string order: the same on every machine and locale, so sorted output is deterministic.
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
