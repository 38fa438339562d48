// The HTTP/2 codec: a Node HTTP/2 server that never listens, fed connections by the listener, with bounded
// concurrent streams, header list size and count, and flood protections set explicitly.
import {
  createServer,
  type Http2Server,
  type ServerHttp2Session,
  type ServerHttp2Stream,
  type IncomingHttpHeaders,
} from 'node:http2';
import type { HcmOptions } from './hcm-options.ts';

export interface Http2Handlers {
  readonly onSession: (session: ServerHttp2Session) => void;
  readonly onStream: (
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    flags: number,
    rawHeaders: string[],
  ) => void;
}

export function createHttp2Server(options: HcmOptions, handlers: Http2Handlers): Http2Server {
  const server = createServer({
    // Pseudo-headers count against Node's pair limit; the proxy's own count check refuses the excess.
    maxHeaderListPairs: options.maxHeadersCount + 8,
    maxSessionInvalidFrames: 1000,
    maxSessionRejectedStreams: 100,
    maxOutstandingPings: 10,
    maxSettings: 32,
    // Rapid reset (CVE-2023-44487): a session resetting streams faster than this is closed.
    streamResetBurst: 1000,
    streamResetRate: 33,
    unknownProtocolTimeout: 10_000,
    settings: {
      maxConcurrentStreams: options.maxConcurrentStreams,
      maxHeaderListSize: options.maxRequestHeadersBytes,
      enablePush: false,
      ...(options.initialStreamWindowSize !== undefined
        ? { initialWindowSize: options.initialStreamWindowSize }
        : {}),
    },
  });
  server.on('session', handlers.onSession);
  server.on('stream', handlers.onStream);
  return server;
}
