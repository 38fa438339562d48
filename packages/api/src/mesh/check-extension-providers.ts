// Checks meshConfig.extensionProviders (unique names, exactly one provider type, service addresses,
// log formats) and that defaultProviders name providers that exist.
import { COMMON_CODES, INSTALL_CODES } from '../findings/codes.ts';
import type { FieldPath } from '../source/field-path.ts';
import type { RuleContext } from '../validate/rule-context.ts';
import { checkWildcardHost } from '../rules/common/host.ts';
import { isDns1123Label, isValidPort } from '../rules/common/values.ts';
import { checkFormatLabels, checkFormatString } from './check-access-log-format.ts';
import { BUILT_IN_PROVIDER_NAMES } from './default-mesh-config.ts';
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

/** Provider types and whether they reach a remote service (`service` + `port`). */
const PROVIDER_TYPES: Readonly<Record<string, 'remote' | 'local'>> = {
  envoyExtAuthzHttp: 'remote',
  envoyExtAuthzGrpc: 'remote',
  zipkin: 'remote',
  lightstep: 'remote',
  datadog: 'remote',
  stackdriver: 'local',
  opencensus: 'remote',
  skywalking: 'remote',
  opentelemetry: 'remote',
  prometheus: 'local',
  envoyFileAccessLog: 'local',
  envoyHttpAls: 'remote',
  envoyTcpAls: 'remote',
  envoyOtelAls: 'remote',
};

const DEPRECATED_TYPES: Readonly<Record<string, string>> = {
  lightstep: 'the Lightstep provider is deprecated; use an opentelemetry provider pointed at your collector',
  opencensus: 'the OpenCensus provider is deprecated; use an opentelemetry provider',
};

/** Checks the provider list; returns the declared names. */
export function checkExtensionProviders(ctx: RuleContext, value: unknown, path: FieldPath): string[] {
  if (value === undefined || value === null || !checkList(ctx, value, path)) return [];
  const seen = new Set<string>();
  value.forEach((item, index) => {
    const itemPath = [...path, index];
    if (!checkMap(ctx, item, itemPath)) return;
    const name = item.name;
    if (name === undefined || name === '') {
      ctx.error(COMMON_CODES.REQUIRED_FIELD, [...itemPath, 'name'], 'every extension provider needs a name');
    } else if (checkString(ctx, name, [...itemPath, 'name'])) {
      if (seen.has(name)) {
        ctx.error(
          COMMON_CODES.DUPLICATE_ENTRY,
          [...itemPath, 'name'],
          `another extension provider is already named "${name}"; provider names must be unique`,
        );
      }
      seen.add(name);
    }
    checkProvider(ctx, item, itemPath);
  });
  return [...seen];
}

function checkProvider(ctx: RuleContext, provider: Readonly<Record<string, unknown>>, path: FieldPath): void {
  const typeNames = Object.keys(PROVIDER_TYPES);
  checkUnknownKeys(ctx, provider, path, ['name', ...typeNames], { owner: 'an extension provider' });
  const types = Object.keys(provider).filter((key) => key in PROVIDER_TYPES);
  if (types.length === 0) {
    ctx.error(
      INSTALL_CODES.PROVIDER_INVALID,
      path,
      `an extension provider needs exactly one type, such as zipkin, opentelemetry, envoyExtAuthzHttp, envoyExtAuthzGrpc, prometheus or envoyFileAccessLog`,
    );
    return;
  }
  if (types.length > 1) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      [...path, types[1] ?? ''],
      `an extension provider has exactly one type, but this one sets ${types.join(' and ')}; split it into several providers`,
    );
  }
  for (const type of types) {
    const typePath = [...path, type];
    const deprecated = DEPRECATED_TYPES[type];
    if (deprecated) ctx.warn(COMMON_CODES.DEPRECATED_FIELD, typePath, deprecated);
    const config = provider[type] ?? {};
    if (!checkMap(ctx, config, typePath)) continue;
    if (PROVIDER_TYPES[type] === 'remote') checkRemoteService(ctx, config, typePath);
    checkProviderSettings(ctx, type, config, typePath);
  }
}

function checkRemoteService(
  ctx: RuleContext,
  config: Readonly<Record<string, unknown>>,
  path: FieldPath,
): void {
  if (config.service === undefined || config.service === '') {
    ctx.error(
      COMMON_CODES.REQUIRED_FIELD,
      [...path, 'service'],
      'service is required: the host name of the provider, optionally prefixed by its namespace (ns/host)',
    );
  } else if (checkString(ctx, config.service, [...path, 'service'])) {
    const problem = serviceProblem(config.service);
    if (problem) ctx.error(COMMON_CODES.HOST_INVALID, [...path, 'service'], problem);
  }
  if (config.port === undefined) {
    ctx.error(
      COMMON_CODES.REQUIRED_FIELD,
      [...path, 'port'],
      'port is required: the port the provider listens on',
    );
  } else if (!isValidPort(config.port)) {
    ctx.error(
      COMMON_CODES.PORT_INVALID,
      [...path, 'port'],
      `${describeValue(config.port)} is not a port (1-65535)`,
    );
  }
}

function serviceProblem(service: string): string | undefined {
  const slash = service.indexOf('/');
  const namespace = slash >= 0 ? service.slice(0, slash) : undefined;
  const host = slash >= 0 ? service.slice(slash + 1) : service;
  if (namespace !== undefined && !isDns1123Label(namespace))
    return `"${namespace}" is not a namespace name; write the service as [namespace/]host`;
  if (host.includes('*')) return `service "${host}" must name one host, not a wildcard`;
  return checkWildcardHost(host);
}

function checkProviderSettings(
  ctx: RuleContext,
  type: string,
  config: Readonly<Record<string, unknown>>,
  path: FieldPath,
): void {
  if (config.timeout !== undefined) checkDurationField(ctx, config.timeout, [...path, 'timeout']);
  if (config.failOpen !== undefined) checkBoolean(ctx, config.failOpen, [...path, 'failOpen']);
  for (const field of [
    'includeRequestHeadersInCheck',
    'headersToUpstreamOnAllow',
    'headersToDownstreamOnDeny',
    'headersToDownstreamOnAllow',
  ]) {
    if (config[field] !== undefined) checkStringList(ctx, config[field], [...path, field]);
  }
  if (config.includeHeadersInCheck !== undefined) {
    ctx.warn(
      COMMON_CODES.DEPRECATED_FIELD,
      [...path, 'includeHeadersInCheck'],
      '"includeHeadersInCheck" is deprecated; use includeRequestHeadersInCheck',
    );
  }
  if (
    config.maxTagLength !== undefined &&
    !(Number.isInteger(config.maxTagLength) && Number(config.maxTagLength) >= 0)
  )
    ctx.error(
      COMMON_CODES.SCHEMA_TYPE,
      [...path, 'maxTagLength'],
      'maxTagLength must be a whole number of characters',
    );
  if (config.path !== undefined && type === 'envoyFileAccessLog')
    checkString(ctx, config.path, [...path, 'path']);
  if (config.logFormat !== undefined) checkLogFormat(ctx, type, config.logFormat, [...path, 'logFormat']);
}

function checkLogFormat(ctx: RuleContext, type: string, value: unknown, path: FieldPath): void {
  if (!checkMap(ctx, value, path)) return;
  if (type === 'envoyFileAccessLog' && value.text !== undefined && value.labels !== undefined) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      [...path, 'labels'],
      'a file access log is either text or JSON: set logFormat.text or logFormat.labels, not both',
    );
  }
  if (value.text !== undefined) checkFormatString(ctx, value.text, [...path, 'text']);
  if (value.labels !== undefined && checkMap(ctx, value.labels, [...path, 'labels']))
    checkFormatLabels(ctx, value.labels, [...path, 'labels']);
}

/** Checks that defaultProviders only names declared (or built-in) providers. */
export function checkDefaultProviders(
  ctx: RuleContext,
  value: unknown,
  declared: readonly string[],
  path: FieldPath,
): void {
  if (value === undefined || value === null || !checkMap(ctx, value, path)) return;
  checkUnknownKeys(ctx, value, path, ['metrics', 'tracing', 'accessLogging'], { owner: 'defaultProviders' });
  const known = [...new Set([...declared, ...BUILT_IN_PROVIDER_NAMES])];
  for (const field of ['metrics', 'tracing', 'accessLogging']) {
    const list = value[field];
    if (list === undefined || !checkList(ctx, list, [...path, field])) continue;
    list.forEach((name, index) => {
      if (!checkString(ctx, name, [...path, field, index]) || known.includes(name)) return;
      ctx.warn(
        INSTALL_CODES.DEFAULT_PROVIDER_UNKNOWN,
        [...path, field, index],
        `no extension provider is named "${name}", so this default does nothing; declare it under extensionProviders or use one of: ${known.join(', ')}`,
      );
    });
  }
}
