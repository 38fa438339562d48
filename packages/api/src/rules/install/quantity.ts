// Kubernetes resource quantities (`500m`, `2Gi`, `1.5`, `1e3`): parsing into plain numbers.

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

const MULTIPLIERS: Readonly<Record<string, number>> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export interface Quantity {
  /** The amount in base units: cores for cpu, bytes for memory. */
  readonly value: number;
  /** The suffix as written (`m`, `Mi`, `` …); `e` for exponent notation. */
  readonly suffix: string;
}

/** Parses a quantity written as a string or a YAML number; undefined when it is not one. */
export function parseQuantity(input: unknown): Quantity | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? { value: input, suffix: '' } : undefined;
  if (typeof input !== 'string') return undefined;
  const match = QUANTITY.exec(input.trim());
  if (!match) return undefined;
  const sign = match[1] === '-' ? -1 : 1;
  const number = Number(match[2]);
  if (match[4] !== undefined) return { value: sign * number * 10 ** Number(match[4]), suffix: 'e' };
  const suffix = match[3] ?? '';
  return { value: sign * number * (MULTIPLIERS[suffix] ?? 1), suffix };
}

/** Formats a byte count for messages, in the largest binary unit that keeps it whole-ish. */
export function formatBytes(bytes: number): string {
  for (const unit of ['Gi', 'Mi', 'Ki'] as const) {
    const size = MULTIPLIERS[unit] ?? 1;
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))}${unit}`;
  }
  return `${bytes} bytes`;
}
