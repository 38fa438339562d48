// The first translation of newly connected proxies, one proxy per event-loop turn and in connection order, so
// that 1,000 proxies connecting at once are all served while reads, ACKs and keepalives keep flowing.
import type { ProxyNode } from '@heddle/translate';
import { yieldToIo as defaultYield, type YieldToIo } from '../push/yield-to-io.ts';
import type { ProxyResources } from './proxy-resources.ts';
import type { XdsStream } from './xds-stream.ts';

export interface InitialTranslationsOptions {
  /** The proxy's output from the current snapshot; undefined when translation failed (already counted). */
  readonly translate: (node: ProxyNode) => ProxyResources | undefined;
  readonly yieldToIo?: YieldToIo;
}

export class InitialTranslations {
  readonly #translate: InitialTranslationsOptions['translate'];
  readonly #yield: YieldToIo;
  #waiting: XdsStream[] = [];
  #next = 0;
  #draining: Promise<void> | undefined;
  #closed = false;

  constructor(options: InitialTranslationsOptions) {
    this.#translate = options.translate;
    this.#yield = options.yieldToIo ?? defaultYield;
  }

  /** Streams waiting for their first translation. */
  get pending(): number {
    return this.#waiting.length - this.#next;
  }

  enqueue(stream: XdsStream): void {
    if (this.#closed) return;
    this.#waiting.push(stream);
    this.#draining ??= this.#drain().finally(() => (this.#draining = undefined));
  }

  /** Resolves once every queued stream has been translated (or has gone). */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  close(): void {
    this.#closed = true;
    this.#waiting = [];
    this.#next = 0;
  }

  async #drain(): Promise<void> {
    // Yield first: the request that identified the stream finishes being handled before any CPU work.
    await this.#yield();
    while (!this.#closed && this.#next < this.#waiting.length) {
      const stream = this.#waiting[this.#next++];
      if (this.#next === this.#waiting.length) {
        this.#waiting = [];
        this.#next = 0;
      }
      // A push may have translated it already (streams without a translation are in every push).
      if (!stream || stream.closed || stream.connection.resources) continue;
      const resources = this.#translate(stream.connection.node);
      // Without a translation the stream waits for the next push, which includes it.
      if (resources) stream.push(resources, {});
      await this.#yield();
    }
  }
}
