// A listen address of `heddle control`: how it prints, whether it is loopback, how a client reaches it.
import { isIP } from 'node:net';

export interface BoundAddress {
  readonly host: string;
  readonly port: number;
}

/** `127.0.0.1:15010`, `[::1]:15010`. */
export function formatAddress(address: BoundAddress): string {
  return isIP(address.host) === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The URL a client on this machine uses: a wildcard address is reached through loopback. */
export function clientUrl(address: BoundAddress): string {
  const host = address.host === '0.0.0.0' ? '127.0.0.1' : address.host === '::' ? '::1' : address.host;
  return `http://${formatAddress({ host, port: address.port })}`;
}
