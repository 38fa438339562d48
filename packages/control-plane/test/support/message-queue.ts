// Collects a stream's messages so a test can await the next one, or assert that none arrives.

export class MessageQueue<T> {
  readonly #items: T[] = [];
  readonly #waiters: ((item: T) => void)[] = [];

  push(item: T): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(item);
    else this.#items.push(item);
  }

  next(timeoutMs = 3000, what = 'message'): Promise<T> {
    const item = this.#items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.#waiters.indexOf(onItem);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const onItem = (value: T) => {
        clearTimeout(timer);
        resolve(value);
      };
      this.#waiters.push(onItem);
    });
  }

  /** Waits `ms` and returns what arrived meanwhile (expected: nothing). */
  async drain(ms: number): Promise<T[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.#items.splice(0);
  }
}
