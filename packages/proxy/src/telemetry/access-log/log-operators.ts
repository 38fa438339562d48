// Envoy's command operators, each compiled once into a reader of the completed stream. A reader returns
// undefined when the value is not available (rendered `-` in text, null in JSON).
import { hostname } from 'node:os';
import { firstValue, type ReadonlyHeaderMap } from '../../http/headers.ts';
import { formatResponseFlags, type StreamInfo } from '../../http/stream-info.ts';
import { compileStartTime, DEFAULT_START_TIME_FORMAT } from './start-time.ts';

export type LogValue = string | number | undefined;
export type OperatorReader = (info: StreamInfo) => LogValue;

const withPort = (address: string, port: number): string =>
  address.includes(':') && !address.startsWith('[') ? `[${address}]:${port}` : `${address}:${port}`;

const withoutPort = (address: string | undefined): string | undefined => {
  if (address === undefined) return undefined;
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracket) return bracket[1];
  const colon = address.lastIndexOf(':');
  return colon > 0 && address.indexOf(':') === colon ? address.slice(0, colon) : address;
};

const nonEmpty = (value: string | undefined): string | undefined => (value === '' ? undefined : value);

function headerReader(
  argument: string | undefined,
  headersOf: (info: StreamInfo) => ReadonlyHeaderMap | undefined,
  name: string,
): OperatorReader | { error: string } {
  const names = (argument ?? '').toLowerCase().split('?');
  const [primary, alternative] = names;
  if (!primary || names.length > 2)
    return { error: `%${name}(${argument ?? ''})% needs one header name, or two as X?Y` };
  return (info) => {
    const headers = headersOf(info);
    if (!headers) return undefined;
    return firstValue(headers, primary) ?? (alternative ? firstValue(headers, alternative) : undefined);
  };
}

/** `%DYNAMIC_METADATA(namespace:key:…)%`: a value of the filter metadata, objects as JSON. */
function metadataReader(argument: string | undefined): OperatorReader | { error: string } {
  const [namespace, ...path] = (argument ?? '').split(':');
  if (!namespace)
    return { error: '%DYNAMIC_METADATA(…)% needs a namespace, e.g. %DYNAMIC_METADATA(istio.mixer:status)%' };
  return (info) => {
    let value: unknown = info.dynamicMetadata.get(namespace);
    for (const key of path)
      value =
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' || typeof value === 'number') return value;
    return JSON.stringify(value);
  };
}

const HOSTNAME = hostname();

/** Operators with no argument. */
const SIMPLE: Readonly<Record<string, OperatorReader>> = {
  RESPONSE_CODE: (i) => i.responseCode ?? 0,
  RESPONSE_FLAGS: (i) => formatResponseFlags(i),
  RESPONSE_CODE_DETAILS: (i) => i.responseCodeDetails,
  DURATION: (i) => (i.durationMs === undefined ? undefined : Math.floor(i.durationMs)),
  BYTES_RECEIVED: (i) => i.bytesReceived,
  BYTES_SENT: (i) => i.bytesSent,
  PROTOCOL: (i) => (i.protocol === 'tcp' ? undefined : i.protocol === 'http2' ? 'HTTP/2' : 'HTTP/1.1'),
  UPSTREAM_HOST: (i) => i.upstreamHost,
  UPSTREAM_CLUSTER: (i) => i.upstreamCluster,
  UPSTREAM_CLUSTER_RAW: (i) => i.upstreamCluster,
  UPSTREAM_REQUEST_ATTEMPT_COUNT: (i) => i.attemptCount,
  ROUTE_NAME: (i) => nonEmpty(i.routeName),
  VIRTUAL_CLUSTER_NAME: () => undefined,
  REQUESTED_SERVER_NAME: (i) => nonEmpty(i.downstream.serverName),
  DOWNSTREAM_REMOTE_ADDRESS: (i) =>
    withPort(
      i.downstreamRemoteAddress,
      i.downstreamRemoteAddress === i.downstream.remoteAddress ? i.downstream.remotePort : 0,
    ),
  DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT: (i) => i.downstreamRemoteAddress,
  DOWNSTREAM_REMOTE_PORT: (i) => i.downstream.remotePort,
  DOWNSTREAM_DIRECT_REMOTE_ADDRESS: (i) => withPort(i.downstream.remoteAddress, i.downstream.remotePort),
  DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT: (i) => i.downstream.remoteAddress,
  DOWNSTREAM_LOCAL_ADDRESS: (i) => {
    const original = i.downstream.originalDestination;
    return original
      ? withPort(original.address, original.port)
      : withPort(i.downstream.localAddress, i.downstream.localPort);
  },
  DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT: (i) =>
    i.downstream.originalDestination?.address ?? i.downstream.localAddress,
  DOWNSTREAM_LOCAL_PORT: (i) => i.downstream.originalDestination?.port ?? i.downstream.localPort,
  DOWNSTREAM_PEER_URI_SAN: (i) => i.downstream.peerPrincipal,
  UPSTREAM_HOST_NAME: (i) => withoutPort(i.upstreamHost),
  UPSTREAM_REMOTE_ADDRESS: (i) => i.upstreamHost,
  UPSTREAM_REMOTE_ADDRESS_WITHOUT_PORT: (i) => withoutPort(i.upstreamHost),
  HOSTNAME: () => HOSTNAME,
  // Values this proxy does not track yet: rendered as unavailable, as Envoy does when it has none.
  UPSTREAM_LOCAL_ADDRESS: () => undefined,
  UPSTREAM_TRANSPORT_FAILURE_REASON: () => undefined,
  CONNECTION_TERMINATION_DETAILS: () => undefined,
  DOWNSTREAM_TLS_VERSION: () => undefined,
  DOWNSTREAM_PEER_SUBJECT: () => undefined,
  CONNECTION_ID: () => undefined,
  FILTER_STATE: () => undefined,
  UPSTREAM_FILTER_STATE: () => undefined,
  GRPC_STATUS: (i) => (i.responseHeaders ? firstValue(i.responseHeaders, 'grpc-status') : undefined),
  REQUEST_DURATION: () => undefined,
  RESPONSE_DURATION: () => undefined,
  RESPONSE_TX_DURATION: () => undefined,
};

/** Operators that ignore any argument (FILTER_STATE(key), GRPC_STATUS(CAMEL_STRING) …). */
const ARGUMENT_IGNORED = new Set(['FILTER_STATE', 'UPSTREAM_FILTER_STATE', 'GRPC_STATUS']);

export function compileOperator(
  name: string,
  argument: string | undefined,
): OperatorReader | { error: string } {
  switch (name) {
    case 'START_TIME': {
      const format = compileStartTime(argument || DEFAULT_START_TIME_FORMAT);
      if ('error' in format) return format;
      return (info) => format(info.startTime);
    }
    case 'REQ':
      return headerReader(argument, (i) => i.requestHeaders, name);
    case 'RESP':
      return headerReader(argument, (i) => i.responseHeaders, name);
    case 'TRAILER':
      return headerReader(argument, () => undefined, name);
    case 'DYNAMIC_METADATA':
      return metadataReader(argument);
    case 'ENVIRONMENT': {
      const value = argument ? process.env[argument] : undefined;
      return () => value;
    }
  }
  const simple = SIMPLE[name];
  if (!simple) return { error: `unsupported command operator %${name}%` };
  if (argument !== undefined && !ARGUMENT_IGNORED.has(name))
    return { error: `%${name}% takes no argument; remove "(${argument})"` };
  return simple;
}
