// IstioOperator `values` (Helm values): the few Heddle reads, and the addon and stats settings it ignores.
import { INSTALL_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';
import { checkAddress } from '../../mesh/check-proxy-config.ts';
import { checkMap, isRecord } from '../../mesh/field-checks.ts';
import { checkPilotEnv } from './pilot-env.ts';
import { formatBytes } from './quantity.ts';
import { checkResources } from './resources.ts';

const DASHBOARD = 'Heddle has a built-in dashboard ("heddle dashboard")';
const COLLECTOR = 'a built-in Zipkin-compatible trace collector';

const ADDON_VALUES: Readonly<Record<string, string>> = {
  grafana: `Istio no longer installs Grafana, so these values are ignored; ${DASHBOARD} with the standard Istio dashboards, or install Grafana yourself`,
  kiali: `Istio no longer installs Kiali, so these values are ignored; ${DASHBOARD} that shows the service graph`,
  tracing: `Istio no longer installs a tracing backend, so these values are ignored; Heddle has ${COLLECTOR} (see "heddle dashboard"), or point an extensionProviders zipkin/opentelemetry entry at your own backend`,
  prometheus: `Istio no longer installs Prometheus, so these values are ignored; proxies expose Istio's standard metrics for your Prometheus to scrape, and ${DASHBOARD}`,
};

export function checkValues(ctx: RuleContext, value: unknown): void {
  const path = ['spec', 'values'];
  if (value === undefined || value === null || !checkMap(ctx, value, path)) return;
  for (const [addon, message] of Object.entries(ADDON_VALUES)) {
    if (value[addon] !== undefined) ctx.warn(INSTALL_CODES.ADDON_VALUES_IGNORED, [...path, addon], message);
  }
  const prometheusTelemetry = dig(value, ['telemetry', 'v2', 'prometheus']);
  if (isRecord(prometheusTelemetry) && prometheusTelemetry.configOverride !== undefined) {
    ctx.warn(
      INSTALL_CODES.STATS_OVERRIDE_IGNORED,
      [...path, 'telemetry', 'v2', 'prometheus', 'configOverride'],
      'configOverride tunes the Envoy stats filter, which Heddle does not use; choose metrics and their tags with the Telemetry API (metrics.overrides) instead',
    );
  }
  const pilot = value.pilot;
  if (isRecord(pilot) && pilot.env !== undefined) checkPilotEnv(ctx, pilot.env, [...path, 'pilot', 'env']);
  const zipkinAddress = dig(value, ['global', 'tracer', 'zipkin', 'address']);
  if (zipkinAddress !== undefined)
    checkAddress(ctx, zipkinAddress, [...path, 'global', 'tracer', 'zipkin', 'address']);
  const proxyResources = dig(value, ['global', 'proxy', 'resources']);
  if (proxyResources !== undefined)
    checkProxyResources(ctx, proxyResources, [...path, 'global', 'proxy', 'resources']);
}

function checkProxyResources(ctx: RuleContext, value: unknown, path: FieldPath): void {
  const { limits } = checkResources(ctx, value, path);
  const memory = limits.memory;
  if (memory === undefined) return;
  ctx.info(
    INSTALL_CODES.PROXY_RESOURCES,
    [...path, 'limits', 'memory'],
    `outside Kubernetes Heddle sizes each sidecar's heap from this memory limit (${formatBytes(memory)}); the other values apply to the sidecar container on Kubernetes`,
  );
}

function dig(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}
