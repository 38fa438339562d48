// The response body handed to the router: a Readable fed by the connection, with backpressure both ways
// (a full buffer pauses the connection; reading resumes it) and destroy() cancelling the upstream request.
import { Readable } from 'node:stream';

export interface BodySource {
  pause(): void;
  resume(): void;
  /** The consumer went away before the end: abort the upstream request. */
  abort(reason: Error): void;
}

export function responseBody(source: BodySource): Readable {
  let ended = false;
  const body = new Readable({
    read: () => source.resume(),
    destroy: (err, callback) => {
      if (!ended) source.abort(err ?? new Error('response body destroyed'));
      callback(err);
    },
  });
  body.once('end', () => {
    ended = true;
  });
  return body;
}

/** Pushes a chunk; pauses the source when the consumer is behind. */
export function pushChunk(body: Readable, chunk: Uint8Array, source: BodySource): void {
  if (!body.push(chunk)) source.pause();
}

/** Marks the body complete; no abort once the upstream finished. */
export function endBody(body: Readable): void {
  body.push(null);
}
