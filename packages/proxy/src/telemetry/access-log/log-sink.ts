// Where log lines go: a file opened once and appended to asynchronously, or standard output. Lines are
// buffered and written in one chunk per event-loop turn, so a request never waits for the disk; when the
// disk falls behind by more than the buffer limit, lines are dropped and counted.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

/** Beyond this much unwritten text, new lines are dropped. */
const MAX_PENDING_BYTES = 8 * 1024 * 1024;

export class LogSink {
  readonly path: string;
  readonly #out: Writable;
  readonly #owned: WriteStream | undefined;
  #pending: string[] = [];
  #pendingBytes = 0;
  #scheduled = false;
  #blocked = false;
  #dropped = 0;
  #closed = false;

  constructor(path: string, out?: Writable) {
    this.path = path;
    if (out) {
      this.#out = out;
      this.#owned = undefined;
    } else if (path === '/dev/stdout') {
      this.#out = process.stdout;
      this.#owned = undefined;
    } else if (path === '/dev/stderr') {
      this.#out = process.stderr;
      this.#owned = undefined;
    } else {
      this.#owned = createWriteStream(path, { flags: 'a' });
      // An unwritable path must not crash the proxy; the lines are counted as dropped instead.
      this.#owned.on('error', () => {
        this.#dropped += this.#pending.length;
        this.#pending = [];
        this.#closed = true;
      });
      this.#out = this.#owned;
    }
    this.#out.on('drain', () => {
      this.#blocked = false;
      this.#schedule();
    });
  }

  /** Lines dropped because the destination could not keep up or failed. */
  get dropped(): number {
    return this.#dropped;
  }

  write(line: string): void {
    if (this.#closed || this.#pendingBytes > MAX_PENDING_BYTES) {
      this.#dropped++;
      return;
    }
    this.#pending.push(line);
    this.#pendingBytes += line.length;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || this.#blocked || this.#pending.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    if (this.#pending.length === 0 || this.#closed) return;
    const chunk = this.#pending.join('');
    this.#pending = [];
    this.#pendingBytes = 0;
    if (!this.#out.write(chunk)) this.#blocked = true;
  }

  /** Writes what is buffered and, for a file, closes it. */
  async close(): Promise<void> {
    this.#flush();
    this.#closed = true;
    const owned = this.#owned;
    if (owned && !owned.destroyed) await new Promise<void>((resolve) => owned.end(resolve));
  }

  /** Resolves once everything buffered so far has been handed to the destination and written. */
  async flush(): Promise<void> {
    this.#flush();
    await new Promise<void>((resolve) => {
      if (this.#out.writableNeedDrain) this.#out.once('drain', () => resolve());
      else this.#out.write('', () => resolve());
    });
  }
}

/** One sink per path, shared by every connection manager that logs there. */
export class LogSinks {
  readonly #sinks = new Map<string, LogSink>();
  readonly #factory: (path: string) => LogSink;

  constructor(factory: (path: string) => LogSink = (path) => new LogSink(path)) {
    this.#factory = factory;
  }

  sink(path: string): LogSink {
    let sink = this.#sinks.get(path);
    if (!sink) {
      sink = this.#factory(path);
      this.#sinks.set(path, sink);
    }
    return sink;
  }

  async flush(): Promise<void> {
    await Promise.all([...this.#sinks.values()].map((sink) => sink.flush()));
  }

  async close(): Promise<void> {
    const sinks = [...this.#sinks.values()];
    this.#sinks.clear();
    await Promise.all(sinks.map((sink) => sink.close()));
  }
}
