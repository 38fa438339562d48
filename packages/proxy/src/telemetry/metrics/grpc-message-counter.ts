// Counts gRPC messages in a body stream by walking the length-prefixed framing (1 flag byte, 4 length bytes,
// then the message) across chunk boundaries, without copying.
export class GrpcMessageCounter {
  count = 0;
  /** Message bytes still to skip. */
  #remaining = 0;
  /** Prefix bytes read of the next message (0..4), and the length they spell. */
  #prefixRead = 0;
  #length = 0;

  push(chunk: Uint8Array): void {
    let i = 0;
    const size = chunk.length;
    while (i < size) {
      if (this.#remaining > 0) {
        const skip = Math.min(this.#remaining, size - i);
        this.#remaining -= skip;
        i += skip;
        continue;
      }
      const byte = chunk[i] as number;
      i++;
      if (this.#prefixRead > 0) this.#length = this.#length * 256 + byte;
      this.#prefixRead++;
      if (this.#prefixRead === 5) {
        this.count++;
        this.#remaining = this.#length;
        this.#prefixRead = 0;
        this.#length = 0;
      }
    }
  }
}
