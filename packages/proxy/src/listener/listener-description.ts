// What the admin API's /listeners shows of each listener.
import type { ListenerState } from './active-listener.ts';

export interface FilterChainDescription {
  readonly name: string;
  readonly activeConnections: number;
  readonly tls: boolean;
  /** Why TLS connections on this chain are refused right now (e.g. an SDS secret has not arrived). */
  readonly tlsError?: string;
}

export interface ListenerDescription {
  readonly name: string;
  /** As configured. */
  readonly address: { readonly host: string; readonly port: number };
  /** Where the socket is bound (after bindAddressOverride and port 0). */
  readonly boundAddress?: { readonly host: string; readonly port: number };
  readonly bindToPort: boolean;
  readonly useOriginalDst: boolean;
  readonly state: ListenerState;
  readonly error?: string;
  readonly activeConnections: number;
  readonly maxConnections: number;
  readonly filterChains: readonly FilterChainDescription[];
  readonly defaultFilterChain?: FilterChainDescription;
}
