// Delivers committed change events to watchers in commit order, even when a watcher writes to the store.
import type { ChangeEvent, WatchListener } from './config-store.ts';

export class WatchHub {
  readonly #listeners = new Set<WatchListener>();
  readonly #queue: (readonly ChangeEvent[])[] = [];
  #delivering = false;

  add(listener: WatchListener): () => void {
    // A wrapper per call, so watching twice with one function yields two independent subscriptions.
    const entry: WatchListener = (events) => listener(events);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  clear(): void {
    this.#listeners.clear();
    this.#queue.length = 0;
  }

  /** Called by a backend right after a commit. */
  publish(events: readonly ChangeEvent[]): void {
    if (events.length === 0) return;
    this.#queue.push(events);
    // A listener that applies more changes re-enters here; its commit waits in the queue so that every
    // listener sees commits in revision order.
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      for (let batch = this.#queue.shift(); batch; batch = this.#queue.shift()) {
        for (const listener of [...this.#listeners]) {
          if (!this.#listeners.has(listener)) continue;
          try {
            listener(batch);
          } catch (error) {
            // The commit has happened; a failing watcher must neither undo it nor starve the others.
            // Rethrown outside the store's call so the bug is still loud.
            queueMicrotask(() => {
              throw error;
            });
          }
        }
      }
    } finally {
      this.#delivering = false;
    }
  }
}
