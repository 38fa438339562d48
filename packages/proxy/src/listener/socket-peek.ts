// Reads a connection's first bytes without consuming them: they are unshifted back before the socket moves on,
// so the next owner (TLS, HTTP, tcp_proxy) sees the stream from its first byte. Bounded in bytes and time.
import type { Duplex } from 'node:stream';

/** `done`: the decider saw enough. `closed`: the peer closed, reset or half-closed first. */
export type PeekOutcome = 'done' | 'timeout' | 'overflow' | 'closed';

export interface PeekOptions {
  readonly maxBytes: number;
  /** 0: no deadline. */
  readonly timeoutMs: number;
}

/** Returns 0 once it has seen enough, else the total number of bytes it needs before it is asked again. */
export type PeekDecider = (buffered: Buffer) => number;

/**
 * Uses paused-mode reads ('readable' + read()), not a 'data' listener: a 'data' listener followed by pause()
 * leaves the socket explicitly paused, and `http.Server` would never resume it after the hand-off.
 */
export function peekSocket(
  socket: Duplex,
  options: PeekOptions,
  decide: PeekDecider,
  onDone: (outcome: PeekOutcome, buffered: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let need = 1;
  let finished = false;
  const timer =
    options.timeoutMs > 0
      ? setTimeout(() => finish('timeout', Buffer.concat(chunks)), options.timeoutMs)
      : undefined;

  const onReadable = (): void => {
    let chunk: Buffer | null;
    while (!finished && (chunk = socket.read() as Buffer | null) !== null) {
      chunks.push(chunk);
      size += chunk.length;
      if (size < need && size < options.maxBytes) continue;
      const buffered = chunks.length === 1 ? chunk : Buffer.concat(chunks);
      chunks.length = 0;
      chunks.push(buffered);
      need = decide(buffered);
      if (need === 0) finish('done', buffered);
      else if (size >= options.maxBytes) finish('overflow', buffered);
    }
  };
  const onEnd = (): void => finish('closed', Buffer.alloc(0));
  const onClose = (): void => finish('closed', Buffer.alloc(0));

  function finish(outcome: PeekOutcome, buffered: Buffer): void {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    socket.removeListener('readable', onReadable);
    socket.removeListener('end', onEnd);
    socket.removeListener('close', onClose);
    if (outcome !== 'closed' && buffered.length > 0 && !socket.destroyed) socket.unshift(buffered);
    onDone(outcome, buffered);
  }

  socket.on('readable', onReadable);
  socket.on('end', onEnd);
  socket.on('close', onClose);
}
