// The proxy's xDS client: State-of-the-World ADS to the control plane, feeding the resource handlers and
// keeping the last good config in force while the control plane is away.
import type { ChannelOptions, StatusObject } from '@grpc/grpc-js';
import type { Node } from '@heddle/xds';
import { SILENT_LOGGER, type Logger } from '../admin/logger.ts';
import { ConfigState } from '../config/config-state.ts';
import type { ResourceHandler } from '../config/resource-handler.ts';
import type { Gauge, StatsSink } from '../stats/stats-sink.ts';
import { StatsStore } from '../stats/stats-store.ts';
import { AdsTransport } from './ads-transport.ts';
import { Backoff, DEFAULT_BACKOFF } from './backoff.ts';
import { SotwSubscriptions } from './sotw-subscriptions.ts';
import { SYSTEM_TIMERS, type Timers } from './timers.ts';

export interface AdsClientOptions {
  readonly node: Node;
  /** `host:port` of each control-plane replica; a failed stream moves on to the next. */
  readonly addresses: readonly string[];
  /** One per type: CDS, EDS, LDS, RDS, and SDS when the proxy resolves secrets over ADS. */
  readonly handlers: readonly ResourceHandler[];
  readonly state?: ConfigState;
  readonly stats?: StatsSink;
  readonly logger?: Logger;
  readonly random?: () => number;
  readonly timers?: Timers;
  readonly now?: () => Date;
  readonly backoff?: { readonly baseMs?: number; readonly capMs?: number };
  readonly warmingTimeoutMs?: number;
  readonly channelOptions?: ChannelOptions;
  /** SDS names answered inside the proxy, left out of the Secret subscription. */
  readonly localSecrets?: ReadonlySet<string>;
  /** The join token presented on each ADS stream (the control plane's xDS authentication); see ads-token.ts. */
  readonly token?: () => string | undefined;
}

export const DEFAULT_WARMING_TIMEOUT_MS = 15_000;

export class AdsClient {
  /** Resolves once the first full config (clusters, endpoints, listeners, routes) is in force. */
  readonly ready: Promise<void>;
  readonly state: ConfigState;
  readonly #transport: AdsTransport;
  readonly #subscriptions: SotwSubscriptions;
  readonly #connectedState: Gauge;
  #connectedTo: string | undefined;

  constructor(options: AdsClientOptions) {
    if (options.addresses.length === 0)
      throw new Error('the ADS client needs at least one control-plane address');
    const logger = options.logger ?? SILENT_LOGGER;
    const stats = options.stats ?? new StatsStore();
    const timers = options.timers ?? SYSTEM_TIMERS;
    this.state = options.state ?? new ConfigState();
    this.#connectedState = stats.gauge('control_plane.connected_state');
    let resolveReady!: () => void;
    this.ready = new Promise((resolve) => (resolveReady = resolve));
    this.#subscriptions = new SotwSubscriptions({
      node: options.node,
      handlers: options.handlers,
      state: this.state,
      stats,
      logger,
      timers,
      now: options.now ?? (() => new Date()),
      warmingTimeoutMs: options.warmingTimeoutMs ?? DEFAULT_WARMING_TIMEOUT_MS,
      ...(options.localSecrets ? { localSecrets: options.localSecrets } : {}),
      onReady: () => {
        logger.info('initial xDS config applied');
        resolveReady();
      },
    });
    const backoff = new Backoff({
      baseMs: options.backoff?.baseMs ?? DEFAULT_BACKOFF.baseMs,
      capMs: options.backoff?.capMs ?? DEFAULT_BACKOFF.capMs,
      random: options.random ?? Math.random,
    });
    this.#transport = new AdsTransport(
      {
        addresses: options.addresses,
        backoff,
        timers,
        logger,
        ...(options.channelOptions ? { channelOptions: options.channelOptions } : {}),
        ...(options.token ? { token: options.token } : {}),
      },
      {
        onOpen: (send) => this.#subscriptions.streamOpened(send),
        onResponse: (response) => {
          try {
            this.#subscriptions.handle(response);
          } catch (error) {
            // A broken handler must not take the proxy down; the config in force keeps serving.
            logger.error(
              `applying ${response.typeUrl} version ${response.versionInfo} failed: ${String(error)}`,
            );
          }
        },
        onConnected: (address) => {
          this.#connectedTo = address;
          this.#connectedState.set(1);
          logger.info(`ADS stream established with ${address}`);
        },
        onClose: (_status: StatusObject) => {
          this.#connectedTo = undefined;
          this.#connectedState.set(0);
          this.#subscriptions.streamClosed();
        },
      },
    );
  }

  get isReady(): boolean {
    return this.#subscriptions.ready;
  }

  /** The control-plane address currently serving this proxy, if any. */
  get connectedTo(): string | undefined {
    return this.#connectedTo;
  }

  start(): void {
    this.#transport.start();
  }

  close(): void {
    this.#transport.close();
    this.#subscriptions.close();
    this.#connectedTo = undefined;
    this.#connectedState.set(0);
  }
}
