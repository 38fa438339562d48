// Envoy's HTTP/2 shutdown notice: a GOAWAY carrying the largest stream id asks the client to open no more
// streams on the connection and refuses none. node:http2 has no call for it — after its goaway() nghttp2
// ignores every stream that arrives, so requests a client had already sent would wait for the final GOAWAY
// to refuse them — so the frame is written to the connection directly. nghttp2 hands the socket whole
// frames, so the notice always lands between two of them.
import type { ServerHttp2Session } from 'node:http2';
import type { Duplex } from 'node:stream';

/** GOAWAY (type 7) on stream 0: last-stream-id 2^31-1, NO_ERROR. */
const NOTICE = Buffer.from([0, 0, 8, 7, 0, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/**
 * Sends the notice once the session's own SETTINGS have gone out (the peer acknowledged them: a server's
 * first frame must be SETTINGS). `socket` is the connection the session writes to.
 */
export function sendShutdownNotice(session: ServerHttp2Session, socket: Duplex, settled: boolean): void {
  const send = (): void => {
    if (session.closed || session.destroyed || socket.destroyed || !socket.writable) return;
    socket.write(NOTICE);
  };
  if (settled) send();
  else session.once('localSettings', send);
}
