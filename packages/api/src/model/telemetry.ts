// Observability and extension kinds: Telemetry (tracing, metrics, access logs) and WasmPlugin.
import type { PolicySelector, PolicyTargetReference } from './common.ts';
import type { Resource, TelemetryApiVersion } from './resource.ts';

export type Telemetry = Resource<'Telemetry', TelemetrySpec, TelemetryApiVersion>;
export type WasmPlugin = Resource<'WasmPlugin', WasmPluginSpec, 'extensions.istio.io/v1alpha1'>;

/**
 * Telemetry for the selected workloads. Resolution is hierarchical: root namespace (mesh-wide), then the
 * workload's namespace, then a selector-bearing resource; a more specific one overrides what it sets.
 */
export interface TelemetrySpec {
  readonly selector?: PolicySelector;
  /** Single-target form of `targetRefs`. */
  readonly targetRef?: PolicyTargetReference;
  readonly targetRefs?: readonly PolicyTargetReference[];
  readonly tracing?: readonly Tracing[];
  readonly metrics?: readonly Metrics[];
  readonly accessLogging?: readonly AccessLogging[];
}

/** CLIENT is outbound (the proxy is the client), SERVER inbound. */
export type WorkloadMode = 'CLIENT_AND_SERVER' | 'CLIENT' | 'SERVER';

export interface TelemetrySelector {
  /** Default CLIENT_AND_SERVER. */
  readonly mode?: WorkloadMode;
}

/** A provider from meshConfig.extensionProviders (or a built-in one such as `prometheus`, `envoy`). */
export interface ProviderRef {
  readonly name: string;
}

export interface Tracing {
  readonly match?: TelemetrySelector;
  /** Unset: meshConfig.defaultProviders.tracing. Only one provider is supported. */
  readonly providers?: readonly ProviderRef[];
  /** 0–100. Unset: inherited; the mesh default is 1%. */
  readonly randomSamplingPercentage?: number;
  /** Keep propagating trace context but report no spans. Default false. */
  readonly disableSpanReporting?: boolean;
  /** Tag name → value source, added to every span. */
  readonly customTags?: Readonly<Record<string, CustomTag>>;
  /** Sample by the x-request-id's trace bit (consistent across hops). Default true. */
  readonly useRequestIdForTraceSampling?: boolean;
  /** Add Istio's standard tags (`istio.canonical_service` …) to spans. Default true. */
  readonly enableIstioTags?: boolean;
}

/** Exactly one value source. */
export interface CustomTag {
  readonly literal?: LiteralTag;
  readonly environment?: EnvironmentTag;
  readonly header?: RequestHeaderTag;
  readonly formatter?: FormatterTag;
}

export interface LiteralTag {
  readonly value: string;
}

export interface EnvironmentTag {
  /** Environment variable of the proxy. */
  readonly name: string;
  readonly defaultValue?: string;
}

export interface RequestHeaderTag {
  readonly name: string;
  readonly defaultValue?: string;
}

export interface FormatterTag {
  /** Access-log format command, e.g. `%REQ(:PATH)%`. */
  readonly value: string;
}

export interface Metrics {
  /** Unset: meshConfig.defaultProviders.metrics (`prometheus` by default). */
  readonly providers?: readonly ProviderRef[];
  /** Applied in order; later ones win. */
  readonly overrides?: readonly MetricsOverrides[];
  /** How often long-lived TCP connections report metrics (duration). */
  readonly reportingInterval?: string;
}

export interface MetricsOverrides {
  /** Unset: every metric, both modes. */
  readonly match?: MetricSelector;
  /** Stop producing the matched metrics. Default false. */
  readonly disabled?: boolean;
  /** Tag (label) name → change, e.g. drop `request_protocol` or add a tag computed by a CEL expression. */
  readonly tagOverrides?: Readonly<Record<string, TagOverride>>;
}

/** `metric` or `customMetric`, not both. */
export interface MetricSelector {
  /** Default ALL_METRICS. */
  readonly metric?: IstioMetric;
  /** A metric name outside the standard ones (without the `istio_` prefix). */
  readonly customMetric?: string;
  /** Default CLIENT_AND_SERVER. */
  readonly mode?: WorkloadMode;
}

/** Istio's standard metrics: `REQUEST_COUNT` is istio_requests_total, `TCP_SENT_BYTES` istio_tcp_sent_bytes_total … */
export type IstioMetric =
  | 'ALL_METRICS'
  | 'REQUEST_COUNT'
  | 'REQUEST_DURATION'
  | 'REQUEST_SIZE'
  | 'RESPONSE_SIZE'
  | 'TCP_OPENED_CONNECTIONS'
  | 'TCP_CLOSED_CONNECTIONS'
  | 'TCP_SENT_BYTES'
  | 'TCP_RECEIVED_BYTES'
  | 'GRPC_REQUEST_MESSAGES'
  | 'GRPC_RESPONSE_MESSAGES';

export interface TagOverride {
  /** Default UPSERT. */
  readonly operation?: TagOperation;
  /** CEL expression giving the tag value (UPSERT only), e.g. `request.host`. */
  readonly value?: string;
}

export type TagOperation = 'UPSERT' | 'REMOVE';

export interface AccessLogging {
  readonly match?: TelemetrySelector;
  /** Unset: meshConfig.defaultProviders.accessLogging (e.g. the built-in `envoy` provider). */
  readonly providers?: readonly ProviderRef[];
  /** Turn access logging off for the selection. Default false. */
  readonly disabled?: boolean;
  /** Log only requests/connections the expression selects. */
  readonly filter?: AccessLogFilter;
}

export interface AccessLogFilter {
  /** CEL expression, e.g. `response.code >= 400`. */
  readonly expression?: string;
}

/** A Wasm extension loaded into the selected proxies. */
export interface WasmPluginSpec {
  readonly selector?: PolicySelector;
  /** Single-target form of `targetRefs`. */
  readonly targetRef?: PolicyTargetReference;
  readonly targetRefs?: readonly PolicyTargetReference[];
  /** `oci://`, `file://` or `http(s)://`; no scheme means `oci://`. */
  readonly url: string;
  /** Expected SHA-256 of the module (hex), checked after fetching. */
  readonly sha256?: string;
  /** Unset: IfNotPresent, except Always for the `latest` tag. */
  readonly imagePullPolicy?: PullPolicy;
  /** Secret with registry credentials, in the plugin's namespace. */
  readonly imagePullSecret?: string;
  /** Public key or certificate for verifying the module signature. */
  readonly verificationKey?: string;
  /** Configuration handed to the plugin (any JSON object). */
  readonly pluginConfig?: Readonly<Record<string, unknown>>;
  /** Root ID the module registers under. */
  readonly pluginName?: string;
  /** Where in the HTTP filter chain; unset: just before the router. */
  readonly phase?: PluginPhase;
  /** Order within a phase: higher first. Default 0. */
  readonly priority?: number;
  /** What the proxy does when the module cannot be loaded or fails. Default FAIL_CLOSE. */
  readonly failStrategy?: FailStrategy;
  readonly vmConfig?: VmConfig;
  /** Traffic the plugin applies to; unset: all. */
  readonly match?: readonly TrafficSelector[];
  /** Default HTTP. */
  readonly type?: PluginType;
}

/** `UNSPECIFIED_POLICY` behaves as described on `imagePullPolicy`. */
export type PullPolicy = 'UNSPECIFIED_POLICY' | 'IfNotPresent' | 'Always';
/** AUTHN before Istio's authentication filters, AUTHZ before authorization, STATS before stats. */
export type PluginPhase = 'UNSPECIFIED_PHASE' | 'AUTHN' | 'AUTHZ' | 'STATS';
/** FAIL_OPEN skips the plugin; FAIL_RELOAD reloads the VM and retries. */
export type FailStrategy = 'FAIL_CLOSE' | 'FAIL_OPEN' | 'FAIL_RELOAD';
export type PluginType = 'UNSPECIFIED_PLUGIN_TYPE' | 'HTTP' | 'NETWORK';

export interface VmConfig {
  readonly env?: readonly EnvVar[];
}

export interface EnvVar {
  readonly name: string;
  /** INLINE (the default) takes `value`; HOST copies the proxy's environment variable of that name. */
  readonly valueFrom?: EnvValueSource;
  readonly value?: string;
}

export type EnvValueSource = 'INLINE' | 'HOST';

export interface TrafficSelector {
  /** `UNDEFINED` means all traffic. */
  readonly mode?: WasmWorkloadMode;
  /** Destination ports (server side: the workload's ports). Unset: all. */
  readonly ports?: readonly WasmPortSelector[];
}

export type WasmWorkloadMode = 'UNDEFINED' | 'CLIENT' | 'SERVER' | 'CLIENT_AND_SERVER';

export interface WasmPortSelector {
  readonly number: number;
}
