// The meshConfig fields Heddle reads (Istio's MeshConfig, in its JSON/YAML field names), as TypeScript types.
// Every field is optional because user input may set any subset; DEFAULT_MESH_CONFIG fills the rest.

export type AccessLogEncoding = 'TEXT' | 'JSON';
export type OutboundTrafficMode = 'ALLOW_ANY' | 'REGISTRY_ONLY';
export type InboundTrafficMode = 'PASSTHROUGH' | 'LOCALHOST';
export type PathNormalizationType =
  'DEFAULT' | 'NONE' | 'BASE' | 'MERGE_SLASHES' | 'DECODE_AND_MERGE_SLASHES';
export type H2UpgradePolicy = 'DO_NOT_UPGRADE' | 'UPGRADE';

export interface ZipkinTracing {
  /** `host:port` of a Zipkin-compatible collector. */
  readonly address?: string;
}

export interface ProxyTracing {
  /** Percentage (0–100) of requests sampled when the client did not decide. */
  readonly sampling?: number;
  readonly zipkin?: ZipkinTracing;
  readonly maxPathTagLength?: number;
}

export interface ProxyStatsMatcher {
  readonly inclusionRegexps?: readonly string[];
  readonly inclusionPrefixes?: readonly string[];
  readonly inclusionSuffixes?: readonly string[];
  readonly exclusionRegexps?: readonly string[];
  readonly exclusionPrefixes?: readonly string[];
  readonly exclusionSuffixes?: readonly string[];
}

/** `defaultConfig`: per-proxy settings (Istio's ProxyConfig). */
export interface ProxyConfig {
  /** Worker count; 0 means one per core. */
  readonly concurrency?: number;
  readonly proxyMetadata?: Readonly<Record<string, string>>;
  readonly tracing?: ProxyTracing;
  readonly proxyStatsMatcher?: ProxyStatsMatcher;
  readonly holdApplicationUntilProxyStarts?: boolean;
  /** Duration string, e.g. `5s`. */
  readonly terminationDrainDuration?: string;
  readonly drainDuration?: string;
  readonly discoveryAddress?: string;
  readonly proxyAdminPort?: number;
  readonly statusPort?: number;
  readonly extraStatTags?: readonly string[];
}

export interface OutboundTrafficPolicy {
  readonly mode?: OutboundTrafficMode;
}

export interface InboundTrafficPolicy {
  readonly mode?: InboundTrafficMode;
}

export interface PathNormalization {
  readonly normalization?: PathNormalizationType;
}

/** A `[namespace/]host` plus port, the address form every remote provider uses. */
export interface ProviderService {
  readonly service?: string;
  readonly port?: number;
}

export interface EnvoyExtAuthzHttpProvider extends ProviderService {
  readonly timeout?: string;
  readonly pathPrefix?: string;
  readonly failOpen?: boolean;
  readonly statusOnError?: string;
  readonly includeRequestHeadersInCheck?: readonly string[];
  readonly includeAdditionalHeadersInCheck?: Readonly<Record<string, string>>;
  readonly headersToUpstreamOnAllow?: readonly string[];
  readonly headersToDownstreamOnDeny?: readonly string[];
  readonly headersToDownstreamOnAllow?: readonly string[];
}

export interface EnvoyExtAuthzGrpcProvider extends ProviderService {
  readonly timeout?: string;
  readonly failOpen?: boolean;
  readonly statusOnError?: string;
}

export interface ZipkinProvider extends ProviderService {
  readonly maxTagLength?: number;
  readonly enable64bitTraceId?: boolean;
}

export interface OpenTelemetryProvider extends ProviderService {
  readonly maxTagLength?: number;
}

export interface FileAccessLogFormat {
  /** Envoy format string (see parseAccessLogFormat). */
  readonly text?: string;
  /** JSON log: key → format string. */
  readonly labels?: Readonly<Record<string, unknown>>;
}

export interface EnvoyFileAccessLogProvider {
  readonly path?: string;
  readonly logFormat?: FileAccessLogFormat;
}

export interface EnvoyOtelAlsProvider extends ProviderService {
  readonly logName?: string;
  readonly logFormat?: FileAccessLogFormat;
}

export interface ExtensionProvider {
  readonly name: string;
  readonly envoyExtAuthzHttp?: EnvoyExtAuthzHttpProvider;
  readonly envoyExtAuthzGrpc?: EnvoyExtAuthzGrpcProvider;
  readonly zipkin?: ZipkinProvider;
  readonly opentelemetry?: OpenTelemetryProvider;
  readonly prometheus?: Readonly<Record<string, never>>;
  readonly envoyFileAccessLog?: EnvoyFileAccessLogProvider;
  readonly envoyOtelAls?: EnvoyOtelAlsProvider;
}

export interface DefaultProviders {
  readonly metrics?: readonly string[];
  readonly tracing?: readonly string[];
  readonly accessLogging?: readonly string[];
}

export interface MeshConfig {
  readonly accessLogFile?: string;
  readonly accessLogFormat?: string;
  readonly accessLogEncoding?: AccessLogEncoding;
  readonly enableTracing?: boolean;
  readonly enableAutoMtls?: boolean;
  readonly enablePrometheusMerge?: boolean;
  readonly connectTimeout?: string;
  readonly protocolDetectionTimeout?: string;
  readonly dnsRefreshRate?: string;
  readonly h2UpgradePolicy?: H2UpgradePolicy;
  readonly outboundTrafficPolicy?: OutboundTrafficPolicy;
  readonly inboundTrafficPolicy?: InboundTrafficPolicy;
  readonly defaultConfig?: ProxyConfig;
  readonly extensionProviders?: readonly ExtensionProvider[];
  readonly defaultProviders?: DefaultProviders;
  readonly trustDomain?: string;
  readonly trustDomainAliases?: readonly string[];
  readonly rootNamespace?: string;
  readonly pathNormalization?: PathNormalization;
  readonly defaultServiceExportTo?: readonly string[];
  readonly defaultVirtualServiceExportTo?: readonly string[];
  readonly defaultDestinationRuleExportTo?: readonly string[];
}
