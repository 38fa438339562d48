// The public surface of @heddle/proxy: start a proxy from a bootstrap, and the pieces around it (xDS client,
// config state, stats, admin) for tools and tests.
export { startProxy } from './proxy.ts';
export type { StartProxyOptions } from './proxy.ts';
export { runProxy } from './config/proxy-runtime.ts';
export type { Proxy, ProxyParts, PartsContext, ProxyRuntimeOptions } from './config/proxy-runtime.ts';

export { parseBootstrap, BOOTSTRAP_DEFAULTS } from './xds/bootstrap.ts';
export type { Bootstrap, BootstrapNode, NodeLocality, SocketAddress } from './xds/bootstrap.ts';
export type { CaBootstrap } from './xds/bootstrap-ca.ts';
export { loadBootstrapFile } from './xds/bootstrap-file.ts';
export { BootstrapError, BOOTSTRAP_INVALID, BOOTSTRAP_UNREADABLE } from './xds/bootstrap-error.ts';
export type { BootstrapErrorCode } from './xds/bootstrap-error.ts';
export { NODE_METADATA_KEYS } from './xds/node-metadata.ts';
export { buildXdsNode } from './xds/xds-node.ts';
export { AdsClient, DEFAULT_WARMING_TIMEOUT_MS } from './xds/ads-client.ts';
export type { AdsClientOptions } from './xds/ads-client.ts';
export { backoffDelay, DEFAULT_BACKOFF } from './xds/backoff.ts';
export type { Timers } from './xds/timers.ts';

export { ConfigState } from './config/config-state.ts';
export type { AcceptedResource, TypeConfig, UpdateFailure } from './config/config-state.ts';
export { isPrepareError } from './config/resource-handler.ts';
export type { PreparedUpdate, PrepareResult, ResourceHandler } from './config/resource-handler.ts';
export { PROXY_VERSION } from './config/version.ts';

export { StatsStore, ISTIO_CUSTOM_NAMESPACE } from './stats/stats-store.ts';
export type { HistogramSink, HistogramOptions, StatTags, StatsSnapshot } from './stats/stats-store.ts';
export type { Counter, Gauge, StatsSink } from './stats/stats-sink.ts';
export type { Histogram } from './stats/histogram.ts';
export { DEFAULT_HISTOGRAM_BUCKETS } from './stats/histogram.ts';
export { renderPrometheus } from './stats/prometheus-format.ts';
export { renderStatsText, renderStatsJson } from './stats/text-format.ts';
export { extractTags, TAG_NAMES } from './stats/tag-extraction.ts';

export { LogRegistry, LOG_LEVELS, SILENT_LOGGER } from './admin/logger.ts';
export type { Logger, LogLevel } from './admin/logger.ts';
export type { ClusterHostInfo, ClusterInfo, ListenerInfo, ServerControl } from './admin/admin-sources.ts';
