// Fetches the key sets RequestAuthentications name (jwksUri, or the issuer's OpenID discovery document) so
// that the translator can inline them: each is cached, refreshed every 20 minutes, retried with back-off
// after a failure (the last good keys stay in use meanwhile), and forgotten when no policy names it. A
// change of any key set asks for a push. A key set never fetched has no entry: its provider fails closed.
import type { RequestAuthentication } from '@heddle/api';
import { isJwkSet, jwksToFetch, type JwksFetch } from '@heddle/translate';
import { silentLogger, type Logger } from '../server/logger.ts';
import { fetchText, JwksFetchError, type FetchLimits } from './jwks-fetch.ts';

export interface JwksResolverOptions {
  /** Allow jwksUri on loopback addresses (local test issuers); link-local is refused regardless. */
  readonly allowLoopbackJwks?: boolean;
  /** Per fetch; 5 s by default (Istio's jwtRule timeout default). */
  readonly fetchTimeoutMs?: number;
  /** 20 minutes by default, as Istio's JWKS refresh. */
  readonly refreshIntervalMs?: number;
  /** First retry after a failure; doubles up to `maxRetryMs`. 1 s by default. */
  readonly initialRetryMs?: number;
  /** 5 minutes by default. */
  readonly maxRetryMs?: number;
  /** Largest accepted document; 1 MiB by default. */
  readonly maxBytes?: number;
  /** Called when a key set appears or changes, so the control plane pushes. */
  readonly onChange?: () => void;
  readonly logger?: Logger;
}

interface Entry {
  readonly fetch: JwksFetch;
  jwks?: string;
  failures: number;
  timer?: NodeJS.Timeout;
  inFlight?: Promise<void>;
}

const MINUTE = 60_000;

export class JwksResolver {
  readonly #entries = new Map<string, Entry>();
  readonly #limits: FetchLimits;
  readonly #refreshMs: number;
  readonly #initialRetryMs: number;
  readonly #maxRetryMs: number;
  readonly #onChange: () => void;
  readonly #logger: Logger;
  #closed = false;

  constructor(options: JwksResolverOptions = {}) {
    this.#limits = {
      allowLoopback: options.allowLoopbackJwks ?? false,
      timeoutMs: options.fetchTimeoutMs ?? 5_000,
      maxBytes: options.maxBytes ?? 1024 * 1024,
    };
    this.#refreshMs = options.refreshIntervalMs ?? 20 * MINUTE;
    this.#initialRetryMs = options.initialRetryMs ?? 1_000;
    this.#maxRetryMs = options.maxRetryMs ?? 5 * MINUTE;
    this.#onChange = options.onChange ?? (() => {});
    this.#logger = options.logger ?? silentLogger;
  }

  /**
   * Called with the RequestAuthentications of every snapshot: starts fetching key sets newly named, stops
   * refreshing those no longer named, and returns the key sets fetched so far (by URI).
   */
  track(policies: readonly RequestAuthentication[]): ReadonlyMap<string, string> {
    if (this.#closed) return this.current();
    const wanted = jwksToFetch(policies);
    const keys = new Set(wanted.map((w) => w.key));
    for (const [key, entry] of this.#entries) {
      if (keys.has(key)) continue;
      clearTimeout(entry.timer);
      this.#entries.delete(key);
    }
    for (const fetch of wanted) {
      if (this.#entries.has(fetch.key)) continue;
      const entry: Entry = { fetch, failures: 0 };
      this.#entries.set(fetch.key, entry);
      this.#refresh(entry);
    }
    return this.current();
  }

  current(): ReadonlyMap<string, string> {
    const map = new Map<string, string>();
    for (const [key, entry] of this.#entries) if (entry.jwks !== undefined) map.set(key, entry.jwks);
    return map;
  }

  /** Resolves when no fetch is running (tests, and a first snapshot that should carry the keys). */
  async settled(): Promise<void> {
    for (;;) {
      const running = [...this.#entries.values()].map((e) => e.inFlight).filter((p) => p !== undefined);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  close(): void {
    this.#closed = true;
    for (const entry of this.#entries.values()) clearTimeout(entry.timer);
    this.#entries.clear();
  }

  #refresh(entry: Entry): void {
    if (this.#closed || entry.inFlight) return;
    entry.inFlight = this.#load(entry.fetch).then(
      (jwks) => {
        entry.inFlight = undefined;
        if (this.#entries.get(entry.fetch.key) !== entry) return;
        entry.failures = 0;
        const changed = entry.jwks !== jwks;
        entry.jwks = jwks;
        this.#schedule(entry, this.#refreshMs);
        if (changed) {
          this.#logger.info('jwks fetched', { uri: entry.fetch.key });
          this.#onChange();
        }
      },
      (error: unknown) => {
        entry.inFlight = undefined;
        if (this.#entries.get(entry.fetch.key) !== entry) return;
        entry.failures++;
        const delay = Math.min(this.#maxRetryMs, this.#initialRetryMs * 2 ** (entry.failures - 1));
        this.#logger.warn('jwks fetch failed', {
          uri: entry.fetch.key,
          error: error instanceof Error ? error.message : String(error),
          retryInMs: delay,
          keepingPrevious: entry.jwks !== undefined,
        });
        this.#schedule(entry, delay);
      },
    );
  }

  #schedule(entry: Entry, delayMs: number): void {
    if (this.#closed) return;
    clearTimeout(entry.timer);
    // Up to 10% later, so that refreshes of many key sets (and replicas) spread out.
    entry.timer = setTimeout(() => this.#refresh(entry), delayMs + Math.random() * delayMs * 0.1);
    entry.timer.unref();
  }

  async #load(fetch: JwksFetch): Promise<string> {
    let uri = fetch.key;
    if (fetch.discovery) {
      const document = parseObject(await fetchText(fetch.key, this.#limits), fetch.key);
      if (typeof document.jwks_uri !== 'string') {
        throw new JwksFetchError(`${fetch.key} names no jwks_uri`);
      }
      uri = document.jwks_uri;
    }
    const text = await fetchText(uri, this.#limits);
    if (!isJwkSet(text)) throw new JwksFetchError(`${uri} did not return a JSON Web Key Set`);
    return text;
  }
}

function parseObject(text: string, uri: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new JwksFetchError(`${uri} did not return a JSON object`);
}
