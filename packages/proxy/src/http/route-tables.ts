// RDS: compiles every RouteConfiguration of an update up front and swaps the whole set in on commit; the
// connection managers look tables up by name per request, so a request keeps the table it started with.
import { ROUTE_CONFIGURATION_TYPE_URL } from '@heddle/xds';
import type { RouteConfiguration } from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import type { ResourceHandler } from '../config/resource-handler.ts';
import { parsePerRouteFilterConfig } from '../filters/http/registry.ts';
import type { RouteTableProvider } from './route-table-view.ts';
import { compileRouteConfig } from './routing/compile-route-config.ts';
import type { CompiledRouteConfig } from './routing/compiled-route.ts';

export type CompiledRouteTable = CompiledRouteConfig;

/** Compiles one configuration (also used for an HCM's inline `route_config`). */
export function compileRouteTable(
  config: RouteConfiguration,
): CompiledRouteTable | { readonly error: string } {
  const compiled = compileRouteConfig(config, parsePerRouteFilterConfig);
  return 'error' in compiled ? compiled : compiled.value;
}

export class RouteTables implements RouteTableProvider<CompiledRouteTable> {
  #tables: ReadonlyMap<string, CompiledRouteTable> = new Map();

  readonly handler: ResourceHandler<RouteConfiguration> = {
    typeUrl: ROUTE_CONFIGURATION_TYPE_URL,
    prepare: (resources) => {
      const next = new Map<string, CompiledRouteTable>();
      for (const [name, config] of resources) {
        const compiled = compileRouteTable(config);
        if ('error' in compiled) return { error: compiled.error };
        next.set(name, compiled);
      }
      return {
        commit: () => {
          this.#tables = next;
        },
      };
    },
  };

  routeTable(name: string): CompiledRouteTable | undefined {
    return this.#tables.get(name);
  }

  /** Names of the tables in force, for admin/config dumps. */
  names(): string[] {
    return [...this.#tables.keys()];
  }
}
