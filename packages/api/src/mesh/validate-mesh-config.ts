// Validates a meshConfig (IstioOperator spec.meshConfig or the `mesh` key of the istio ConfigMap).
import { COMMON_CODES, INSTALL_CODES } from '../findings/codes.ts';
import type { FieldPath } from '../source/field-path.ts';
import type { RuleContext } from '../validate/rule-context.ts';
import { isDns1123Label } from '../rules/common/values.ts';
import { checkMeshAccessLogFormat } from './check-access-log-format.ts';
import { checkDefaultProviders, checkExtensionProviders } from './check-extension-providers.ts';
import { checkProxyConfig } from './check-proxy-config.ts';
import {
  checkBoolean,
  checkDurationField,
  checkEnum,
  checkMap,
  checkString,
  checkStringList,
  checkUnknownKeys,
  describeValue,
} from './field-checks.ts';
import { MESH_CONFIG_FIELDS, REMOVED_MESH_FIELDS } from './mesh-fields.ts';

const ENUMS: ReadonlyArray<readonly [FieldPath, readonly string[]]> = [
  [['accessLogEncoding'], ['TEXT', 'JSON']],
  [
    ['outboundTrafficPolicy', 'mode'],
    ['ALLOW_ANY', 'REGISTRY_ONLY'],
  ],
  [
    ['inboundTrafficPolicy', 'mode'],
    ['PASSTHROUGH', 'LOCALHOST'],
  ],
  [
    ['pathNormalization', 'normalization'],
    ['DEFAULT', 'NONE', 'BASE', 'MERGE_SLASHES', 'DECODE_AND_MERGE_SLASHES'],
  ],
  [['h2UpgradePolicy'], ['DO_NOT_UPGRADE', 'UPGRADE']],
  [['ingressControllerMode'], ['UNSPECIFIED', 'OFF', 'DEFAULT', 'STRICT']],
];

const BOOLEANS = [
  'enableTracing',
  'enableAutoMtls',
  'enablePrometheusMerge',
  'enableEnvoyAccessLogService',
  'disableEnvoyListenerLog',
] as const;

// SPIFFE trust domains: lower-case letters, digits, dots, dashes and underscores.
const TRUST_DOMAIN = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/;

export function checkMeshConfig(ctx: RuleContext, meshConfig: unknown, path: FieldPath): void {
  if (meshConfig === undefined || meshConfig === null) return;
  if (!checkMap(ctx, meshConfig, path)) return;
  const removed = Object.keys(meshConfig).filter((key) => key in REMOVED_MESH_FIELDS);
  for (const key of removed)
    ctx.error(INSTALL_CODES.MESH_FIELD_REMOVED, [...path, key], REMOVED_MESH_FIELDS[key] ?? '');
  const rest = Object.fromEntries(Object.entries(meshConfig).filter(([key]) => !removed.includes(key)));
  checkUnknownKeys(ctx, rest, path, MESH_CONFIG_FIELDS, {
    guidance: snakeCaseGuidance(meshConfig),
    owner: 'meshConfig',
  });
  for (const field of BOOLEANS) {
    if (meshConfig[field] !== undefined) checkBoolean(ctx, meshConfig[field], [...path, field]);
  }
  for (const [fieldPath, allowed] of ENUMS) checkEnumAt(ctx, meshConfig, fieldPath, allowed, path);
  if (meshConfig.accessLogFile !== undefined)
    checkString(ctx, meshConfig.accessLogFile, [...path, 'accessLogFile']);
  if (meshConfig.accessLogFormat !== undefined) {
    checkMeshAccessLogFormat(ctx, meshConfig.accessLogFormat, meshConfig.accessLogEncoding, [
      ...path,
      'accessLogFormat',
    ]);
  }
  if (meshConfig.connectTimeout !== undefined)
    checkDurationField(ctx, meshConfig.connectTimeout, [...path, 'connectTimeout']);
  if (meshConfig.dnsRefreshRate !== undefined)
    checkDurationField(ctx, meshConfig.dnsRefreshRate, [...path, 'dnsRefreshRate']);
  if (meshConfig.protocolDetectionTimeout !== undefined) {
    checkDurationField(ctx, meshConfig.protocolDetectionTimeout, [...path, 'protocolDetectionTimeout'], {
      minMs: 0,
    });
  }
  checkIdentity(ctx, meshConfig, path);
  checkProxyConfig(ctx, meshConfig.defaultConfig, [...path, 'defaultConfig']);
  const declared = checkExtensionProviders(ctx, meshConfig.extensionProviders, [
    ...path,
    'extensionProviders',
  ]);
  checkDefaultProviders(ctx, meshConfig.defaultProviders, declared, [...path, 'defaultProviders']);
}

function checkEnumAt(
  ctx: RuleContext,
  meshConfig: Readonly<Record<string, unknown>>,
  fieldPath: FieldPath,
  allowed: readonly string[],
  path: FieldPath,
): void {
  let value: unknown = meshConfig;
  for (let i = 0; i < fieldPath.length; i++) {
    const segment = fieldPath[i] ?? '';
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      if (value !== undefined) checkMap(ctx, value, [...path, ...fieldPath.slice(0, i)]);
      return;
    }
    value = (value as Record<string | number, unknown>)[segment];
  }
  if (value === undefined) return;
  if (fieldPath.join('.') === 'outboundTrafficPolicy.mode' && value === 'VIRTUAL_SERVICE_ONLY') {
    ctx.error(
      COMMON_CODES.SCHEMA_ENUM,
      [...path, ...fieldPath],
      'VIRTUAL_SERVICE_ONLY was removed from Istio; use REGISTRY_ONLY (only known services) or ALLOW_ANY',
    );
    return;
  }
  checkEnum(ctx, value, [...path, ...fieldPath], allowed);
}

function checkIdentity(
  ctx: RuleContext,
  meshConfig: Readonly<Record<string, unknown>>,
  path: FieldPath,
): void {
  const domains: Array<[unknown, FieldPath]> = [];
  if (meshConfig.trustDomain !== undefined) domains.push([meshConfig.trustDomain, [...path, 'trustDomain']]);
  if (meshConfig.trustDomainAliases !== undefined) {
    const aliasesPath = [...path, 'trustDomainAliases'];
    const aliases = Array.isArray(meshConfig.trustDomainAliases) ? meshConfig.trustDomainAliases : [];
    checkStringList(ctx, meshConfig.trustDomainAliases, aliasesPath);
    aliases.forEach((alias, index) => domains.push([alias, [...aliasesPath, index]]));
  }
  for (const [domain, domainPath] of domains) {
    if (typeof domain !== 'string') {
      if (domainPath[domainPath.length - 1] === 'trustDomain') checkString(ctx, domain, domainPath);
      continue;
    }
    if (domain === '' || (domain.length <= 255 && TRUST_DOMAIN.test(domain))) continue;
    ctx.error(
      INSTALL_CODES.TRUST_DOMAIN_INVALID,
      domainPath,
      `"${domain}" is not a trust domain; use lower-case letters, digits, ".", "-" and "_", e.g. cluster.local`,
    );
  }
  const root = meshConfig.rootNamespace;
  if (root !== undefined && checkString(ctx, root, [...path, 'rootNamespace']) && !isDns1123Label(root)) {
    ctx.error(
      COMMON_CODES.NAME_INVALID,
      [...path, 'rootNamespace'],
      `${describeValue(root)} is not a namespace name; use lower-case letters, digits and "-", e.g. istio-system`,
    );
  }
}

/** Istio also reads the proto (snake_case) names; Heddle asks for the camelCase ones it documents. */
function snakeCaseGuidance(meshConfig: Readonly<Record<string, unknown>>): Record<string, string> {
  const guidance: Record<string, string> = {};
  for (const key of Object.keys(meshConfig)) {
    if (!key.includes('_')) continue;
    const camel = key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    if (MESH_CONFIG_FIELDS.includes(camel))
      guidance[key] = `write "${camel}": Heddle reads meshConfig fields by their camelCase names`;
  }
  return guidance;
}
