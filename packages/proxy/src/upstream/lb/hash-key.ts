// What consistent-hash policies hash a host by: its address (`ip:port`), or its hostname when configured.
import type { Host } from '../host/host.ts';

export function hostHashKey(host: Host, useHostname: boolean): string {
  return useHostname && host.hostname !== '' ? host.hostname : host.id;
}
