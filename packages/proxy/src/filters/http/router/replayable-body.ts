// A request body that several readers can consume (the current attempt, a retry, a mirror): chunks are kept
// up to a limit so a retry can replay them; past it the body streams once and retries stop.

export class ReplayableBody {
  readonly #limit: number;
  readonly #onPressure: (high: boolean) => void;
  #chunks: Uint8Array[] = [];
  /** Absolute index of #chunks[0]; chunks before it were dropped after an overflow. */
  #base = 0;
  #bytes = 0;
  #ended = false;
  #failed: Error | undefined;
  #overflowed = false;
  #pressured = false;
  readonly #readers = new Map<symbol, number>();
  #waiters: (() => void)[] = [];

  constructor(limit: number, onPressure: (high: boolean) => void) {
    this.#limit = limit;
    this.#onPressure = onPressure;
  }

  /** False once more than the limit has arrived: the body can no longer be sent again. */
  get replayable(): boolean {
    return !this.#overflowed;
  }

  get complete(): boolean {
    return this.#ended;
  }

  push(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    if (this.#bytes > this.#limit) this.#overflowed = true;
    this.#wake();
    this.#checkPressure();
  }

  end(): void {
    this.#ended = true;
    this.#wake();
  }

  /** The downstream went away: readers stop with an error. */
  fail(reason: string): void {
    this.#failed = new Error(reason);
    this.#wake();
  }

  /** A fresh pass over the body from its first byte. */
  reader(): AsyncIterable<Uint8Array> {
    return { [Symbol.asyncIterator]: () => this.#iterate() };
  }

  async *#iterate(): AsyncGenerator<Uint8Array> {
    const id = Symbol('reader');
    if (this.#base > 0) throw new Error('request body was too large to replay');
    let next = 0;
    this.#readers.set(id, 0);
    try {
      for (;;) {
        if (this.#failed) throw this.#failed;
        if (next < this.#base + this.#chunks.length) {
          const chunk = this.#chunks[next - this.#base] as Uint8Array;
          next++;
          this.#readers.set(id, next);
          this.#trim();
          yield chunk;
          continue;
        }
        if (this.#ended) return;
        await new Promise<void>((resolve) => this.#waiters.push(resolve));
      }
    } finally {
      this.#readers.delete(id);
      this.#trim();
    }
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** After an overflow nothing is replayed, so chunks every reader has passed are released. */
  #trim(): void {
    this.#checkPressure();
    if (!this.#overflowed || this.#readers.size === 0) return;
    const slowest = Math.min(...this.#readers.values());
    if (slowest > this.#base) {
      this.#chunks = this.#chunks.slice(slowest - this.#base);
      this.#base = slowest;
    }
  }

  /** Unread bytes of the slowest reader decide whether the client must be paused. */
  #checkPressure(): void {
    if (!this.#overflowed) return;
    const slowest = this.#readers.size > 0 ? Math.min(...this.#readers.values()) : this.#base;
    let unread = 0;
    for (let i = slowest - this.#base; i < this.#chunks.length; i++)
      unread += (this.#chunks[i] as Uint8Array).length;
    const high = unread > this.#limit;
    if (high !== this.#pressured) {
      this.#pressured = high;
      this.#onPressure(high);
    }
  }
}
