// Stable finding codes for the observability kinds (see codes.ts).

export const OBSERVABILITY_CODES = {} as const;
