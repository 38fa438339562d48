// The HttpConnectionManager proto read once into plain options: limits, timeouts, path normalization,
// forwarding headers, upgrades. Fields that would change behaviour the proxy does not implement are refused.
import { durationMs } from '@bufbuild/protobuf/wkt';
import {
  HttpConnectionManager_CodecType as Codec,
  HttpConnectionManager_ForwardClientCertDetails as Xfcc,
  HttpConnectionManager_PathWithEscapedSlashesAction as EscapedSlashes,
  HttpConnectionManager_ServerHeaderTransformation as ServerHeader,
  type HttpConnectionManager,
} from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import type { PathOptions } from '../canonicalize-request.ts';

export type ForwardClientCert =
  'sanitize' | 'forward-only' | 'append-forward' | 'sanitize-set' | 'always-forward-only';

export interface HcmOptions {
  readonly statPrefix: string;
  readonly path: PathOptions;
  readonly useRemoteAddress: boolean;
  readonly xffNumTrustedHops: number;
  readonly skipXffAppend: boolean;
  readonly via?: string;
  readonly generateRequestId: boolean;
  readonly preserveExternalRequestId: boolean;
  readonly alwaysSetRequestIdInResponse: boolean;
  readonly forwardClientCert: ForwardClientCert;
  readonly serverName: string;
  readonly serverHeader: 'overwrite' | 'append-if-absent' | 'pass-through';
  /** Enabled upgrade types (lower-case). */
  readonly upgrades: ReadonlySet<string>;
  /** 0 disables. */
  readonly requestTimeoutMs: number;
  readonly requestHeadersTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** stream_idle_timeout: no activity on a stream for this long ends it (408 or reset); 0 disables. */
  readonly streamIdleTimeoutMs: number;
  readonly maxHeadersCount: number;
  readonly maxRequestHeadersBytes: number;
  readonly maxConcurrentStreams: number;
  readonly initialStreamWindowSize?: number;
  readonly initialConnectionWindowSize?: number;
  readonly stripAnyHostPort: boolean;
  readonly stripTrailingHostDot: boolean;
  readonly codec: 'auto' | 'http1' | 'http2';
}

/** Envoy's defaults: 60 KiB of headers, 100 headers, 100 concurrent streams, 1 h idle connections. */
export const DEFAULTS = {
  maxRequestHeadersKb: 60,
  maxHeadersCount: 100,
  maxConcurrentStreams: 100,
  idleTimeoutMs: 3_600_000,
  /** Envoy's stream_idle_timeout default: 5 minutes. */
  streamIdleTimeoutMs: 300_000,
  /** Node's own defaults; Envoy has none, but a slow client must be cut off eventually. */
  requestHeadersTimeoutMs: 60_000,
  requestTimeoutMs: 300_000,
} as const;

const ESCAPED: Readonly<Record<number, PathOptions['escapedSlashes']>> = {
  [EscapedSlashes.IMPLEMENTATION_SPECIFIC_DEFAULT]: 'keep',
  [EscapedSlashes.KEEP_UNCHANGED]: 'keep',
  [EscapedSlashes.REJECT_REQUEST]: 'reject',
  [EscapedSlashes.UNESCAPE_AND_REDIRECT]: 'unescape-and-redirect',
  [EscapedSlashes.UNESCAPE_AND_FORWARD]: 'unescape-and-forward',
};

const XFCC: Readonly<Record<number, ForwardClientCert>> = {
  [Xfcc.SANITIZE]: 'sanitize',
  [Xfcc.FORWARD_ONLY]: 'forward-only',
  [Xfcc.APPEND_FORWARD]: 'append-forward',
  [Xfcc.SANITIZE_SET]: 'sanitize-set',
  [Xfcc.ALWAYS_FORWARD_ONLY]: 'always-forward-only',
};

const SERVER: Readonly<Record<number, HcmOptions['serverHeader']>> = {
  [ServerHeader.OVERWRITE]: 'overwrite',
  [ServerHeader.APPEND_IF_ABSENT]: 'append-if-absent',
  [ServerHeader.PASS_THROUGH]: 'pass-through',
};

const ms = (d: Parameters<typeof durationMs>[0] | undefined, fallback: number): number =>
  d ? durationMs(d) : fallback;

export function parseHcmOptions(hcm: HttpConnectionManager): HcmOptions | { readonly error: string } {
  if (hcm.routeSpecifier.case === 'scopedRoutes')
    return { error: 'http_connection_manager: scoped_routes is not supported' };
  if (hcm.codecType === Codec.HTTP3 || hcm.http3ProtocolOptions) {
    return { error: 'http_connection_manager: HTTP/3 is not supported' };
  }
  if (hcm.pathNormalizationOptions)
    return { error: 'http_connection_manager: path_normalization_options is not supported' };
  if (hcm.originalIpDetectionExtensions.length > 0) {
    return { error: 'http_connection_manager: original_ip_detection_extensions is not supported' };
  }
  const common = hcm.commonHttpProtocolOptions;
  const http2 = hcm.http2ProtocolOptions;
  const upgrades = new Set<string>();
  for (const upgrade of hcm.upgradeConfigs) {
    if (upgrade.filters.length > 0)
      return { error: 'http_connection_manager: upgrade_configs.filters is not supported' };
    if (upgrade.enabled ?? true) upgrades.add(upgrade.upgradeType.toLowerCase());
  }
  const headersKb = hcm.maxRequestHeadersKb ?? DEFAULTS.maxRequestHeadersKb;
  return {
    statPrefix: `http.${hcm.statPrefix}.`,
    path: {
      normalizePath: hcm.normalizePath ?? false,
      mergeSlashes: hcm.mergeSlashes,
      escapedSlashes: ESCAPED[hcm.pathWithEscapedSlashesAction] ?? 'keep',
    },
    useRemoteAddress: hcm.useRemoteAddress ?? false,
    xffNumTrustedHops: hcm.xffNumTrustedHops,
    skipXffAppend: hcm.skipXffAppend,
    ...(hcm.via !== '' ? { via: hcm.via } : {}),
    generateRequestId: hcm.generateRequestId ?? true,
    preserveExternalRequestId: hcm.preserveExternalRequestId,
    alwaysSetRequestIdInResponse: hcm.alwaysSetRequestIdInResponse,
    forwardClientCert: XFCC[hcm.forwardClientCertDetails] ?? 'sanitize',
    serverName: hcm.serverName !== '' ? hcm.serverName : 'envoy',
    serverHeader: SERVER[hcm.serverHeaderTransformation] ?? 'overwrite',
    upgrades,
    requestTimeoutMs: ms(hcm.requestTimeout, DEFAULTS.requestTimeoutMs),
    requestHeadersTimeoutMs: ms(hcm.requestHeadersTimeout, DEFAULTS.requestHeadersTimeoutMs),
    idleTimeoutMs: ms(common?.idleTimeout, DEFAULTS.idleTimeoutMs),
    streamIdleTimeoutMs: ms(hcm.streamIdleTimeout, DEFAULTS.streamIdleTimeoutMs),
    maxHeadersCount: common?.maxHeadersCount ?? DEFAULTS.maxHeadersCount,
    maxRequestHeadersBytes: headersKb * 1024,
    maxConcurrentStreams: http2?.maxConcurrentStreams ?? DEFAULTS.maxConcurrentStreams,
    ...(http2?.initialStreamWindowSize !== undefined
      ? { initialStreamWindowSize: http2.initialStreamWindowSize }
      : {}),
    ...(http2?.initialConnectionWindowSize !== undefined
      ? { initialConnectionWindowSize: http2.initialConnectionWindowSize }
      : {}),
    stripAnyHostPort: hcm.stripPortMode.case === 'stripAnyHostPort' && hcm.stripPortMode.value,
    stripTrailingHostDot: hcm.stripTrailingHostDot,
    codec: hcm.codecType === Codec.HTTP1 ? 'http1' : hcm.codecType === Codec.HTTP2 ? 'http2' : 'auto',
  };
}
