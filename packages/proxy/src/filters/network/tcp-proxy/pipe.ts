// One direction of a TCP relay: bytes flow with backpressure (reading pauses while the writer is full) and an
// end of stream is forwarded as a half-close.
import type { Duplex } from 'node:stream';

export interface RelayEvents {
  onBytes(count: number): void;
  onPause(): void;
  onResume(): void;
}

/** Starts the flow; `from` may be paused (e.g. after a peek) and is resumed here. */
export function relay(from: Duplex, to: Duplex, events: RelayEvents): void {
  let paused = false;
  from.on('data', (chunk: Buffer) => {
    events.onBytes(chunk.length);
    if (!to.write(chunk) && !paused) {
      paused = true;
      from.pause();
      events.onPause();
    }
  });
  to.on('drain', () => {
    if (!paused) return;
    paused = false;
    from.resume();
    events.onResume();
  });
  from.on('end', () => {
    if (!to.destroyed && !to.writableEnded) to.end();
  });
  from.resume();
}
