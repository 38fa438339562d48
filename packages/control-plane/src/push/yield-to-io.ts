// Lets pending I/O run between units of CPU work: the HTTP API, gRPC reads, ACKs and keepalives are served
// while a large push or a herd of connecting proxies is being translated.
import { setImmediate as nextTurn } from 'node:timers/promises';

export type YieldToIo = () => Promise<void>;

/** Resolves after the event loop has polled for I/O once (setImmediate runs after the poll phase). */
export const yieldToIo: YieldToIo = async () => {
  await nextTurn();
};
