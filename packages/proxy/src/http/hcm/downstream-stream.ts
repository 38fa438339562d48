// One request/response exchange with the client, the same for HTTP/1.1, HTTP/2 and upgraded connections, so
// the filter manager does not care which codec carries it.
import type { UpgradeTunnel } from '../../filters/http/http-filter.ts';
import type { HeaderMap } from '../headers.ts';

export interface DownstreamEvents {
  onData(chunk: Uint8Array, endStream: boolean): void;
  /** The exchange is over; `complete` is false when it ended before the response was fully sent. */
  onClose(complete: boolean): void;
}

export interface DownstreamStream {
  readonly protocol: 'http1' | 'http2';
  /** Whether the request has a body to read. */
  readonly requestEnded: boolean;
  readonly upgrade?: UpgradeTunnel;
  /** Starts delivering body chunks and the close event. */
  start(events: DownstreamEvents): void;
  /** `headers` carries `:status`. */
  sendHeaders(headers: HeaderMap, endStream: boolean, expectTrailers: boolean): void;
  /** False: wait for onDrain. */
  sendData(chunk: Uint8Array, endStream: boolean): boolean;
  sendTrailers(trailers: HeaderMap): void;
  onDrain(callback: () => void): void;
  setReadDisabled(disabled: boolean): void;
  /** HTTP/1.1: no further request on this connection (after a framing or protocol error). */
  closeAfterResponse?(): void;
  reset(): void;
}

/** Response headers without pseudo-headers, as Node's flat `[name, value, …]` list for writeHead. */
export function outgoingHeaderList(headers: HeaderMap): (string | string[])[] {
  const out: (string | string[])[] = [];
  for (const name in headers)
    if (name.charCodeAt(0) !== 58) out.push(name, headers[name] as string | string[]);
  return out;
}

/** Response headers without pseudo-headers, for Node's writeHead/respond. */
export function outgoingHeaders(headers: HeaderMap): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) if (name.charCodeAt(0) !== 58) out[name] = headers[name] as string | string[];
  return out;
}
