// The `envoy.filters.http.router` factory: the terminal filter that forwards requests to clusters.
import type { Any } from '@bufbuild/protobuf/wkt';
import { HTTP_FILTERS, ROUTER_TYPE_URL, unpackAnyAs } from '@heddle/xds';
import { RouterSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/router/v3/router_pb.ts';
import type { HttpFilterFactory } from '../http-filter.ts';
import { compileRouterConfig } from './config.ts';
import { RouterFilter } from './filter.ts';

export const routerFilterFactory: HttpFilterFactory = {
  name: HTTP_FILTERS.ROUTER,
  configTypeUrls: [ROUTER_TYPE_URL],
  perRouteTypeUrls: [],
  terminal: true,
  createFilterFactory(config: Any | undefined, context) {
    const router = config ? unpackAnyAs(config, RouterSchema) : undefined;
    if (config && !router) return { error: `router: cannot decode ${config.typeUrl}` };
    const shared = compileRouterConfig(router, context);
    if ('error' in shared) return shared;
    return { value: { createFilter: (callbacks) => new RouterFilter(shared.value, callbacks) } };
  },
};
