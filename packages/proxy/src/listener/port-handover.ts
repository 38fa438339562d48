// Which addresses an update takes from listeners it retires or rebinds: a new listener on one of them cannot
// be bound before the update is committed (the old socket still holds it), so it binds at commit instead.
import type { ActiveListener } from './active-listener.ts';
import type { CompiledListener } from './compile-listener.ts';
import type { ListenAddress } from './listener-address.ts';

const UNSPECIFIED = new Set(['0.0.0.0', '::', '::ffff:0.0.0.0']);

/** The addresses a listener binds (where its config says, or where the bind override moved it). */
export function bindAddressesOf(config: CompiledListener): ListenAddress[] {
  return config.bindToPort ? [config.bindAddress, ...config.additionalAddresses] : [];
}

/** Where a bound listener actually listens (its port-0 address as the port the OS gave it). */
export function boundAddressesOf(listener: ActiveListener): ListenAddress[] {
  if (listener.state !== 'active' && listener.state !== 'binding') return [];
  const [primary, ...rest] = bindAddressesOf(listener.config);
  if (!primary) return [];
  return [{ host: primary.host, port: listener.boundPort ?? primary.port }, ...rest];
}

/** True when binding `a` could fail because `b` is bound: one port, and one host or a wildcard on either side. */
export function addressesOverlap(a: ListenAddress, b: ListenAddress): boolean {
  if (a.port === 0 || a.port !== b.port) return false;
  return a.host === b.host || UNSPECIFIED.has(a.host) || UNSPECIFIED.has(b.host);
}
