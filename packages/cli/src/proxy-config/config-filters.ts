// istioctl proxy-config's filters (--fqdn, --port, --subset, --direction, --name, --address, --cluster,
// --status): which config types each applies to, and checks that one given applies to the type asked for.
import { UsageError } from '../usage-error.ts';
import type { ConfigSection } from './config-sections.ts';

export interface ConfigFilters {
  readonly fqdn?: string;
  readonly port?: number;
  readonly subset?: string;
  readonly direction?: string;
  readonly name?: string;
  readonly address?: string;
  readonly cluster?: string;
  readonly status?: string;
}

export type FilterName = keyof ConfigFilters;

export const FILTERS_OF: Readonly<Record<ConfigSection, readonly FilterName[]>> = {
  cluster: ['fqdn', 'port', 'subset', 'direction'],
  listener: ['address', 'port'],
  route: ['name'],
  endpoint: ['address', 'port', 'cluster', 'status'],
  secret: [],
  bootstrap: [],
  all: ['fqdn', 'port', 'subset', 'direction', 'address', 'name', 'cluster', 'status'],
};

/** A filter given for a type it does not apply to is a usage error, not silently ignored. */
export function checkFilters(section: ConfigSection, filters: ConfigFilters): void {
  const allowed = FILTERS_OF[section];
  for (const [name, value] of Object.entries(filters)) {
    if (value === undefined || allowed.includes(name as FilterName)) continue;
    const users = (Object.keys(FILTERS_OF) as ConfigSection[]).filter(
      (type) => type !== 'all' && FILTERS_OF[type].includes(name as FilterName),
    );
    throw new UsageError(
      `--${name} does not apply to ${section}`,
      `--${name} filters: ${users.join(', ')}. Run 'heddle proxy-config --help' for usage.`,
    );
  }
}

/** Port filters take a port number. */
export function parsePortFilter(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new UsageError(`invalid port '${value}'`, 'A port is a number from 1 to 65535.');
  }
  return port;
}
