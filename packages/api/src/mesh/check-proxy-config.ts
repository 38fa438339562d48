// Checks meshConfig.defaultConfig (Istio's ProxyConfig): worker count, drain times, tracing, stats matcher.
import { COMMON_CODES, INSTALL_CODES } from '../findings/codes.ts';
import type { FieldPath } from '../source/field-path.ts';
import type { RuleContext } from '../validate/rule-context.ts';
import { checkRe2 } from '../rules/common/regex.ts';
import { isValidPercent, isValidPort } from '../rules/common/values.ts';
import {
  checkBoolean,
  checkDurationField,
  checkList,
  checkMap,
  checkString,
  checkStringList,
  checkUnknownKeys,
  describeValue,
} from './field-checks.ts';
import { hostPortProblem } from './host-port.ts';
import { PROXY_CONFIG_FIELDS, PROXY_STATS_MATCHER_FIELDS, PROXY_TRACING_FIELDS } from './mesh-fields.ts';

const DEPRECATED_PROXY_FIELDS: Readonly<Record<string, string>> = {
  zipkinAddress: '"zipkinAddress" is deprecated; write tracing.zipkin.address instead',
  discoveryRefreshDelay:
    '"discoveryRefreshDelay" is deprecated and ignored; configuration is pushed as it changes',
  envoyMetricsServiceAddress: '"envoyMetricsServiceAddress" is deprecated; use envoyMetricsService.address',
  availabilityZone: '"availabilityZone" is deprecated; locality comes from the workload\'s labels',
  sds: '"sds" is deprecated and ignored; secret discovery is always on',
};

export function checkProxyConfig(ctx: RuleContext, value: unknown, path: FieldPath): void {
  if (value === undefined || value === null || !checkMap(ctx, value, path)) return;
  // The ProxyConfig field list grows with every Istio release, so only likely typos are reported.
  checkUnknownKeys(ctx, value, path, PROXY_CONFIG_FIELDS, {
    level: 'Warning',
    onlyWithSuggestion: true,
    owner: 'defaultConfig',
  });
  for (const [field, message] of Object.entries(DEPRECATED_PROXY_FIELDS)) {
    if (value[field] !== undefined) ctx.warn(COMMON_CODES.DEPRECATED_FIELD, [...path, field], message);
  }
  if (value.concurrency !== undefined) checkConcurrency(ctx, value.concurrency, [...path, 'concurrency']);
  for (const field of ['drainDuration', 'parentShutdownDuration'] as const) {
    if (value[field] !== undefined) checkDurationField(ctx, value[field], [...path, field]);
  }
  if (value.terminationDrainDuration !== undefined)
    checkDurationField(ctx, value.terminationDrainDuration, [...path, 'terminationDrainDuration'], {
      minMs: 0,
    });
  if (value.holdApplicationUntilProxyStarts !== undefined)
    checkBoolean(ctx, value.holdApplicationUntilProxyStarts, [...path, 'holdApplicationUntilProxyStarts']);
  for (const field of ['proxyAdminPort', 'statusPort'] as const) {
    const port = value[field];
    if (port !== undefined && !isValidPort(port))
      ctx.error(
        COMMON_CODES.PORT_INVALID,
        [...path, field],
        `${describeValue(port)} is not a port (1-65535)`,
      );
  }
  if (value.discoveryAddress !== undefined)
    checkAddress(ctx, value.discoveryAddress, [...path, 'discoveryAddress']);
  if (value.proxyMetadata !== undefined)
    checkProxyMetadata(ctx, value.proxyMetadata, [...path, 'proxyMetadata']);
  if (value.tracing !== undefined) checkTracing(ctx, value.tracing, [...path, 'tracing']);
  if (value.proxyStatsMatcher !== undefined)
    checkStatsMatcher(ctx, value.proxyStatsMatcher, [...path, 'proxyStatsMatcher']);
  if (value.extraStatTags !== undefined)
    checkStringList(ctx, value.extraStatTags, [...path, 'extraStatTags']);
}

function checkConcurrency(ctx: RuleContext, value: unknown, path: FieldPath): void {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return;
  const hint =
    typeof value === 'string' && /^\d+$/.test(value)
      ? `; write ${value} without quotes`
      : '; use a whole number of workers, or 0 for one per CPU core';
  ctx.error(INSTALL_CODES.CONCURRENCY_INVALID, path, `${describeValue(value)} is not a worker count${hint}`);
}

export function checkAddress(ctx: RuleContext, value: unknown, path: FieldPath): void {
  if (!checkString(ctx, value, path)) return;
  const problem = hostPortProblem(value);
  if (problem) ctx.error(INSTALL_CODES.ADDRESS_INVALID, path, problem);
}

function checkProxyMetadata(ctx: RuleContext, value: unknown, path: FieldPath): void {
  if (!checkMap(ctx, value, path)) return;
  for (const [key, item] of Object.entries(value)) checkString(ctx, item, [...path, key]);
}

function checkTracing(ctx: RuleContext, value: unknown, path: FieldPath): void {
  if (!checkMap(ctx, value, path)) return;
  checkUnknownKeys(ctx, value, path, PROXY_TRACING_FIELDS, {
    level: 'Warning',
    onlyWithSuggestion: true,
    owner: 'tracing',
  });
  if (value.sampling !== undefined && !isValidPercent(value.sampling)) {
    ctx.error(
      COMMON_CODES.PERCENT_INVALID,
      [...path, 'sampling'],
      `${describeValue(value.sampling)} is not a percentage; sampling is 0 to 100 (1 means 1% of requests)`,
    );
  }
  if (value.lightstep !== undefined) {
    ctx.warn(
      COMMON_CODES.DEPRECATED_FIELD,
      [...path, 'lightstep'],
      'the Lightstep tracer is deprecated; send traces with an opentelemetry extension provider and the Telemetry API',
    );
  }
  const zipkin = value.zipkin;
  if (zipkin !== undefined && checkMap(ctx, zipkin, [...path, 'zipkin']) && zipkin.address !== undefined)
    checkAddress(ctx, zipkin.address, [...path, 'zipkin', 'address']);
}

function checkStatsMatcher(ctx: RuleContext, value: unknown, path: FieldPath): void {
  if (!checkMap(ctx, value, path)) return;
  checkUnknownKeys(ctx, value, path, PROXY_STATS_MATCHER_FIELDS, { owner: 'proxyStatsMatcher' });
  for (const field of PROXY_STATS_MATCHER_FIELDS) {
    const list = value[field];
    if (list === undefined) continue;
    if (!checkList(ctx, list, [...path, field])) continue;
    list.forEach((item, index) => {
      if (!checkString(ctx, item, [...path, field, index]) || !field.endsWith('Regexps')) return;
      const problem = checkRe2(item);
      if (problem)
        ctx.error(COMMON_CODES.REGEX_INVALID, [...path, field, index], `the regular expression ${problem}`);
    });
  }
}
