// Edge header handling: internal headers stripped from untrusted clients, X-Forwarded-For/-Proto, the
// request id, and x-forwarded-client-cert per forward_client_cert_details.
import { randomUUID } from 'node:crypto';
import { allValues, appendValue, firstValue, type HeaderMap } from '../headers.ts';
import type { DownstreamConnectionInfo } from '../http-connection-handler.ts';
import type { HcmOptions } from './hcm-options.ts';

const XFCC = 'x-forwarded-client-cert';

export interface ForwardedResult {
  /** The client address after X-Forwarded-For processing. */
  readonly clientAddress: string;
  readonly requestId: string | undefined;
}

/** Internal-state headers no client may set at the edge: `x-envoy-*` and Heddle's own. */
export function stripInternalHeaders(headers: HeaderMap): void {
  for (const name in headers) {
    if (name.startsWith('x-envoy-') || name.startsWith('x-heddle-')) delete headers[name];
  }
}

/** The address `hops` entries from the right of X-Forwarded-For (0 is the rightmost), if there is one. */
function xffEntry(headers: HeaderMap, hops: number): string | undefined {
  const value = headers['x-forwarded-for'];
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.indexOf(',') < 0) {
    const only = value.trim();
    return hops === 0 && only !== '' ? only : undefined;
  }
  const entries = allValues(headers, 'x-forwarded-for')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return entries[entries.length - 1 - hops];
}

export function applyForwardedHeaders(
  headers: HeaderMap,
  options: HcmOptions,
  connection: DownstreamConnectionInfo,
): ForwardedResult {
  const edge = options.useRemoteAddress;
  if (edge) stripInternalHeaders(headers);
  let clientAddress = connection.remoteAddress;
  if (edge) {
    if (options.xffNumTrustedHops > 0) {
      clientAddress = xffEntry(headers, options.xffNumTrustedHops - 1) ?? clientAddress;
    }
    if (!options.skipXffAppend) appendXff(headers, connection.remoteAddress);
    headers['x-forwarded-proto'] = connection.tls ? 'https' : 'http';
  } else {
    clientAddress = xffEntry(headers, options.xffNumTrustedHops) ?? connection.remoteAddress;
    if (firstValue(headers, 'x-forwarded-proto') === undefined)
      headers['x-forwarded-proto'] = connection.tls ? 'https' : 'http';
  }
  if (options.via !== undefined) appendValue(headers, 'via', options.via);
  applyClientCert(headers, options, connection);
  let requestId = firstValue(headers, 'x-request-id');
  // An edge client's request id is not trusted unless configured so: it could collide with or forge traces.
  if (
    options.generateRequestId &&
    (requestId === undefined || (edge && !options.preserveExternalRequestId))
  ) {
    requestId = randomUUID();
    headers['x-request-id'] = requestId;
  }
  return { clientAddress, requestId };
}

function appendXff(headers: HeaderMap, address: string): void {
  const existing = allValues(headers, 'x-forwarded-for');
  headers['x-forwarded-for'] = existing.length > 0 ? `${existing.join(',')},${address}` : address;
}

function applyClientCert(
  headers: HeaderMap,
  options: HcmOptions,
  connection: DownstreamConnectionInfo,
): void {
  const mode = options.forwardClientCert;
  if (mode === 'always-forward-only') return;
  if (mode === 'forward-only') {
    if (!connection.tls || connection.peerPrincipal === undefined) delete headers[XFCC];
    return;
  }
  const peer = connection.tls ? connection.peerPrincipal : undefined;
  if (mode === 'sanitize' || peer === undefined) {
    if (mode !== 'append-forward' || peer === undefined) delete headers[XFCC];
    return;
  }
  const element = `URI=${peer}`;
  if (mode === 'sanitize-set') headers[XFCC] = element;
  else {
    const existing = allValues(headers, XFCC);
    headers[XFCC] = existing.length > 0 ? `${existing.join(',')},${element}` : element;
  }
}
