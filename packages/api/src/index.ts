// Public surface of @heddle/api: reading Istio YAML, validating it, and the finding model.
export * from './findings/finding.ts';
export * from './findings/codes.ts';
export type { FieldPath, PathSegment } from './source/field-path.ts';
export { formatFieldPath } from './source/field-path.ts';
export type { Position, SourceDocument } from './source/source-document.ts';
export {
  parseDocuments,
  MAX_FILE_BYTES,
  MAX_NESTING_DEPTH,
  type ParsedFile,
} from './source/parse-documents.ts';
export {
  validateDocuments,
  type ValidatedResource,
  type ValidationResult,
} from './validate/validate-documents.ts';
export { KINDS, findKind, parseApiVersion, type KindInfo } from './kinds/kind-table.ts';
export { validateText, type TextSource } from './validate/validate-text.ts';
export { parseDurationMs } from './rules/common/duration.ts';
export type {
  MeshConfig,
  AccessLogEncoding,
  InboundTrafficMode,
  PathNormalizationType,
  ZipkinTracing,
  ProxyTracing,
  ProxyStatsMatcher,
  InboundTrafficPolicy,
  PathNormalization,
  ProviderService,
  EnvoyExtAuthzHttpProvider,
  EnvoyExtAuthzGrpcProvider,
  ZipkinProvider,
  OpenTelemetryProvider,
  FileAccessLogFormat,
  EnvoyFileAccessLogProvider,
  EnvoyOtelAlsProvider,
  DefaultProviders,
  // Prefixed where the resource model already uses the name for something else.
  ProxyConfig as MeshProxyConfig,
  ExtensionProvider as MeshExtensionProvider,
  OutboundTrafficPolicy as MeshOutboundTrafficPolicy,
  OutboundTrafficMode as MeshOutboundTrafficMode,
  H2UpgradePolicy as MeshH2UpgradePolicy,
} from './mesh/mesh-config.ts';
export { DEFAULT_MESH_CONFIG, BUILT_IN_PROVIDER_NAMES } from './mesh/default-mesh-config.ts';
export { applyMeshConfig } from './mesh/merge-mesh-config.ts';
export {
  parseAccessLogFormat,
  type AccessLogPart,
  type AccessLogLiteral,
  type AccessLogOperator,
  type AccessLogFormatParsed,
  type AccessLogFormatError,
} from './mesh/access-log-format.ts';
export { parseQuantity, type Quantity } from './rules/install/quantity.ts';
export type * from './model/index.ts';
export { resourceKey, resourceKeyOf, parseResourceKey } from './model/index.ts';
export type * from './dashboard/dashboard-api.ts';
