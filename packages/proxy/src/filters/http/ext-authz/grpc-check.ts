// The authorization check over gRPC (`grpc_service.envoy_grpc`): an `envoy.service.auth.v3.Authorization/Check`
// call carrying the request's attributes (method, path, headers, peers), sent over HTTP/2 through the proxy's
// own cluster for the service, as Envoy does. A CheckResponse with an OK status lets the request on with its
// header changes; any other status denies it with the service's status, headers and body.
import { create, fromBinary, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import type { HeaderValueOption } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import type { AttributeContext_PeerSchema } from '@heddle/xds/gen/envoy/service/auth/v3/attribute_context_pb.ts';
import {
  CheckRequestSchema,
  CheckResponseSchema,
} from '@heddle/xds/gen/envoy/service/auth/v3/external_auth_pb.ts';
import type { HttpClock } from '../../../http/clock.ts';
import { firstValue, HOP_BY_HOP, type HeaderMap } from '../../../http/headers.ts';
import type { StreamInfo } from '../../../http/stream-info.ts';
import type { ClusterManagerView, UpstreamHttpRequest } from '../../../upstream/cluster-view.ts';
import { sendToService, type CheckHandle, type CheckResult, type HeaderMutations } from './check-request.ts';
import type { ExtAuthzConfig } from './config.ts';

export const CHECK_PATH = '/envoy.service.auth.v3.Authorization/Check';
/** gRPC's OK status. */
const GRPC_OK = 0;
/** Bounds the CheckResponse read from the service. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

type PeerInit = MessageInitShape<typeof AttributeContext_PeerSchema>;

function socketAddress(address: string, port: number): PeerInit['address'] {
  return {
    address: { case: 'socketAddress', value: { address, portSpecifier: { case: 'portValue', value: port } } },
  };
}

/** Request headers as the service sees them: lower-case names, repeated values joined with commas. */
function attributeHeaders(config: ExtAuthzConfig, request: HeaderMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in request) {
    if (HOP_BY_HOP.has(name) && name !== 'te') continue;
    if (!name.startsWith(':') && config.allowedHeaders && !config.allowedHeaders(name)) continue;
    const value = request[name] as string | string[];
    out[name] = typeof value === 'string' ? value : value.join(',');
  }
  for (const [name, value] of config.headersToAdd) out[name] = value;
  return out;
}

/** The CheckRequest of one request: Envoy's AttributeContext, without the body. */
export function checkRequest(config: ExtAuthzConfig, request: HeaderMap, info: StreamInfo): Uint8Array {
  const downstream = info.downstream;
  const local = downstream.originalDestination ?? {
    address: downstream.localAddress,
    port: downstream.localPort,
  };
  const rawPath = firstValue(request, ':path') ?? '/';
  const query = rawPath.indexOf('?');
  const length = Number(firstValue(request, 'content-length'));
  return toBinary(
    CheckRequestSchema,
    create(CheckRequestSchema, {
      attributes: {
        source: {
          address: socketAddress(downstream.remoteAddress, downstream.remotePort),
          principal: downstream.peerPrincipal ?? '',
        },
        destination: { address: socketAddress(local.address, local.port) },
        request: {
          time: timestampFromMs(info.startTime),
          http: {
            id: firstValue(request, 'x-request-id') ?? '',
            method: firstValue(request, ':method') ?? 'GET',
            headers: attributeHeaders(config, request),
            path: rawPath,
            host: firstValue(request, ':authority') ?? '',
            scheme: firstValue(request, ':scheme') ?? (downstream.tls ? 'https' : 'http'),
            query: query < 0 ? '' : rawPath.slice(query + 1),
            size: BigInt(Number.isSafeInteger(length) && length >= 0 ? length : 0),
            protocol: info.protocol === 'http2' ? 'HTTP/2' : 'HTTP/1.1',
          },
        },
        ...(downstream.serverName ? { tlsSession: { sni: downstream.serverName } } : {}),
      },
    }),
  );
}

/** One length-prefixed, uncompressed gRPC message. */
export function grpcFrame(message: Uint8Array): Buffer {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

/** The one message of a unary response, or why there is none. */
export function readGrpcMessage(body: Buffer): Uint8Array | { error: string } {
  if (body.length < 5) return { error: 'no message in the response' };
  if (body[0] !== 0) return { error: 'compressed messages are not supported' };
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length) return { error: 'truncated message' };
  return body.subarray(5, 5 + length);
}

function headerOptions(options: readonly HeaderValueOption[]): {
  set: [string, string][];
  append: [string, string][];
} {
  const set: [string, string][] = [];
  const append: [string, string][] = [];
  for (const option of options) {
    const header = option.header;
    if (!header || header.key === '') continue;
    const value = header.value !== '' ? header.value : Buffer.from(header.rawValue).toString('latin1');
    (option.append === true ? append : set).push([header.key.toLowerCase(), value]);
  }
  return { set, append };
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) throw new Error('response too large');
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** What a CheckResponse means for the request. */
export function checkResult(response: Uint8Array): CheckResult {
  let decoded;
  try {
    decoded = fromBinary(CheckResponseSchema, response);
  } catch {
    return { kind: 'error', reason: 'bad_check_response' };
  }
  if ((decoded.status?.code ?? GRPC_OK) === GRPC_OK) {
    const ok = decoded.httpResponse.case === 'okResponse' ? decoded.httpResponse.value : undefined;
    const { set, append } = headerOptions(ok?.headers ?? []);
    const mutations: HeaderMutations = {
      set,
      append,
      remove: (ok?.headersToRemove ?? []).map((name) => name.toLowerCase()),
    };
    return { kind: 'ok', headers: {}, mutations };
  }
  const denied = decoded.httpResponse.case === 'deniedResponse' ? decoded.httpResponse.value : undefined;
  const headers: Record<string, string[]> = {};
  for (const option of denied?.headers ?? []) {
    const header = option.header;
    if (!header || header.key === '') continue;
    const name = header.key.toLowerCase();
    (headers[name] ??= []).push(
      header.value !== '' ? header.value : Buffer.from(header.rawValue).toString('latin1'),
    );
  }
  return {
    kind: 'denied',
    status: denied?.status?.code || 403,
    headers,
    body: denied?.body ?? '',
  };
}

export function sendGrpcCheck(
  config: ExtAuthzConfig,
  clusters: ClusterManagerView,
  clock: HttpClock,
  request: HeaderMap,
  info: StreamInfo,
): CheckHandle {
  const call: UpstreamHttpRequest = {
    method: 'POST',
    path: CHECK_PATH,
    authority: config.authority,
    headers: {
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-timeout': `${Math.max(1, Math.ceil(config.timeoutMs))}m`,
    },
    body: grpcFrame(checkRequest(config, request, info)),
    protocol: 'http2',
  };
  return sendToService(config, clusters, clock, call, async (response) => {
    const body = await readAll(response.body);
    const trailers = (await response.trailers) ?? {};
    const status = trailers['grpc-status'] ?? firstValue(response.headers, 'grpc-status');
    if (response.status !== 200 || status === undefined || Number(status) !== GRPC_OK)
      return { kind: 'error', reason: `grpc_status_${status ?? 'missing'}` };
    const message = readGrpcMessage(body);
    if ('error' in message) return { kind: 'error', reason: 'bad_check_response' };
    return checkResult(message);
  });
}
