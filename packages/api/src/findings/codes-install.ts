// Stable finding codes for the install kinds (see codes.ts).

export const INSTALL_CODES = {} as const;
