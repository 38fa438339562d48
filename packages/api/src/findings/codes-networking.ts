// Stable finding codes for the networking kinds (see codes.ts).

export const NETWORKING_CODES = {} as const;
