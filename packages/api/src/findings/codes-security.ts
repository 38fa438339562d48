// Stable finding codes for the security kinds (see codes.ts).

export const SECURITY_CODES = {} as const;
