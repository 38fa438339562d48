// Tokens whose signature already verified, by token text, bounded (least recently used goes first) and kept
// only until the token expires: repeated requests with the same token stay on the synchronous path.
export const DEFAULT_CACHE_SIZE = 1000;

export class SignatureCache {
  readonly #entries = new Map<string, number>();
  readonly #max: number;

  constructor(max = DEFAULT_CACHE_SIZE) {
    this.#max = max;
  }

  /** True when `token` verified before and its expiry (epoch seconds, Infinity when none) is still ahead. */
  has(token: string, nowSeconds: number): boolean {
    const until = this.#entries.get(token);
    if (until === undefined) return false;
    this.#entries.delete(token);
    if (until <= nowSeconds) return false;
    this.#entries.set(token, until);
    return true;
  }

  add(token: string, untilSeconds: number): void {
    this.#entries.delete(token);
    this.#entries.set(token, untilSeconds);
    if (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
