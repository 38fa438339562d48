// A bounds-checked big-endian cursor over bytes, for parsing untrusted wire formats without exceptions.

export const u16 = (data: Uint8Array, at: number): number => ((data[at] ?? 0) << 8) | (data[at + 1] ?? 0);

/** Bounds-checked cursor: a read past the end sets `failed` instead of throwing. */
export class ByteReader {
  #data: Uint8Array;
  #at = 0;
  failed = false;

  constructor(data: Uint8Array) {
    this.#data = data;
  }

  get remaining(): number {
    return this.#data.length - this.#at;
  }

  skip(n: number): void {
    if (n > this.remaining) this.failed = true;
    this.#at = Math.min(this.#data.length, this.#at + n);
  }

  u8(): number {
    if (this.remaining < 1) return this.fail();
    return this.#data[this.#at++] ?? 0;
  }

  u16(): number {
    if (this.remaining < 2) return this.fail();
    const value = u16(this.#data, this.#at);
    this.#at += 2;
    return value;
  }

  bytes(n: number): Uint8Array {
    if (n > this.remaining) {
      this.fail();
      return new Uint8Array(0);
    }
    const out = this.#data.subarray(this.#at, this.#at + n);
    this.#at += n;
    return out;
  }

  sub(n: number): ByteReader {
    return new ByteReader(this.bytes(n));
  }

  fail(): number {
    this.failed = true;
    this.#at = this.#data.length;
    return 0;
  }
}
