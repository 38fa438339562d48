// Earliest-deadline-first scheduling (Envoy's weighted round robin): each entry's next deadline is the current
// time plus 1/weight, and the weight is asked again every time an entry is picked, so dynamic weights (least
// request, slow start) take effect pick by pick.

export class EdfScheduler<T> {
  readonly #items: readonly T[];
  readonly #weightOf: (item: T) => number;
  // A binary min-heap over (deadline, order) of item indices.
  readonly #heap: number[];
  readonly #deadline: Float64Array;
  readonly #order: Float64Array;
  #now = 0;
  #sequence = 0;

  constructor(items: readonly T[], weightOf: (item: T) => number) {
    this.#items = items;
    this.#weightOf = weightOf;
    this.#deadline = new Float64Array(items.length);
    this.#order = new Float64Array(items.length);
    this.#heap = [];
    for (let i = 0; i < items.length; i++) this.#push(i);
  }

  get size(): number {
    return this.#items.length;
  }

  pick(): T | undefined {
    const top = this.#heap[0];
    if (top === undefined) return undefined;
    this.#now = this.#deadline[top] ?? this.#now;
    this.#pop();
    this.#push(top);
    return this.#items[top];
  }

  #push(index: number): void {
    const item = this.#items[index] as T;
    const weight = Math.max(this.#weightOf(item), 1e-9);
    this.#deadline[index] = this.#now + 1 / weight;
    this.#order[index] = this.#sequence++;
    const heap = this.#heap;
    heap.push(index);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(index, heap[parent] as number)) break;
      heap[i] = heap[parent] as number;
      i = parent;
    }
    heap[i] = index;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop() as number;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && this.#less(heap[right] as number, heap[left] as number) ? right : left;
      if (!this.#less(heap[child] as number, last)) break;
      heap[i] = heap[child] as number;
      i = child;
    }
    heap[i] = last;
  }

  #less(a: number, b: number): boolean {
    const da = this.#deadline[a] as number;
    const db = this.#deadline[b] as number;
    return da < db || (da === db && (this.#order[a] as number) < (this.#order[b] as number));
  }
}
