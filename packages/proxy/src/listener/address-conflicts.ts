// Two listeners on one ip:port would fight over it, whether bound or as use_original_dst hand-off targets.
import type { CompiledListener } from './compile-listener.ts';

/** Port 0 is exempt: each such listener gets a port of its own. */
export function findAddressConflict(listeners: readonly CompiledListener[]): string | undefined {
  const owners = new Map<string, string>();
  for (const config of listeners) {
    const addresses = config.bindToPort
      ? [config.bindAddress, ...config.additionalAddresses]
      : [config.address];
    for (const { host, port } of addresses) {
      if (port === 0) continue;
      const key = `${config.bindToPort ? 'bound' : 'target'} ${host}:${port}`;
      const owner = owners.get(key);
      if (owner !== undefined)
        return `listeners ${owner} and ${config.name} have the same address ${host}:${port}`;
      owners.set(key, config.name);
    }
  }
  return undefined;
}
