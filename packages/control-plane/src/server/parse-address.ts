// Splits `host:port` (or `[v6]:port`) listen addresses; port 0 asks the OS for a free port.
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../errors.ts';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export function parseListenAddress(address: string, option: string): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(address);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new ControlPlaneError(
      CONTROL_PLANE_CODES.INVALID_LISTEN_ADDRESS,
      `${option} must be host:port (e.g. 127.0.0.1:15010), not "${address}"`,
      { option, address },
    );
  }
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}
