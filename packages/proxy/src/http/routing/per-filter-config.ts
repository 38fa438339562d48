// `typed_per_filter_config` maps compiled through the filter factories: unwraps Envoy's FilterConfig wrapper
// (`disabled`, `is_optional`) and refuses configs no factory understands unless they are optional.
import type { Any } from '@bufbuild/protobuf/wkt';
import { unpackAnyAs } from '@heddle/xds';
import { FilterConfigSchema } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import type { PerFilterConfig, PerFilterConfigs } from './compiled-route.ts';
import type { CompileResult } from './string-matcher.ts';

/** Parses one filter's per-route config; `undefined` when no registered filter knows the config's type. */
export type PerRouteConfigParser = (filterName: string, config: Any) => CompileResult<unknown> | undefined;

const FILTER_CONFIG_TYPE_URL = 'type.googleapis.com/envoy.config.route.v3.FilterConfig';
const EMPTY: PerFilterConfigs = new Map();

export function compilePerFilterConfigs(
  configs: Readonly<Record<string, Any>>,
  parse: PerRouteConfigParser,
): CompileResult<PerFilterConfigs> {
  const names = Object.keys(configs);
  if (names.length === 0) return { value: EMPTY };
  const out = new Map<string, PerFilterConfig>();
  for (const name of names) {
    let any = configs[name] as Any;
    let optional = false;
    let disabled = false;
    if (any.typeUrl === FILTER_CONFIG_TYPE_URL) {
      const wrapper = unpackAnyAs(any, FilterConfigSchema);
      if (!wrapper) return { error: `typed_per_filter_config ${name}: cannot decode FilterConfig` };
      optional = wrapper.isOptional;
      disabled = wrapper.disabled;
      if (!wrapper.config) {
        out.set(name, { disabled });
        continue;
      }
      any = wrapper.config;
    }
    const parsed = parse(name, any);
    if (parsed === undefined) {
      if (optional) continue;
      return { error: `typed_per_filter_config ${name}: no filter supports ${any.typeUrl}` };
    }
    if ('error' in parsed) return { error: `typed_per_filter_config ${name}: ${parsed.error}` };
    out.set(name, { config: parsed.value, disabled });
  }
  return { value: out };
}
