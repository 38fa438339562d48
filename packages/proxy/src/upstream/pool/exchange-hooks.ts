// What a pool tells its cluster about one request: the response status, and the end of the exchange.

export type ExchangeEnd = 'complete' | 'failed' | 'cancelled' | 'reset-local' | 'reset-remote';

export interface ExchangeHooks {
  /** Response headers arrived with this status. */
  onStatus(status: number): void;
  /** The exchange is over; called exactly once. */
  onDone(end: ExchangeEnd): void;
}
