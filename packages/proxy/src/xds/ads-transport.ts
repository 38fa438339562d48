// The gRPC side of ADS: one StreamAggregatedResources stream at a time, to the control-plane addresses in
// turn, re-opened after any failure with jittered exponential back-off.
import {
  credentials,
  makeGenericClientConstructor,
  Metadata,
  type ChannelOptions,
  type StatusObject,
} from '@grpc/grpc-js';
import {
  aggregatedDiscoveryServiceDefinition,
  type AggregatedDiscoveryServiceClient,
  type DiscoveryRequest,
  type DiscoveryResponse,
} from '@heddle/xds';
import type { Logger } from '../admin/logger.ts';
import type { Backoff } from './backoff.ts';
import type { Timers } from './timers.ts';

const AdsGrpcClient = makeGenericClientConstructor(
  aggregatedDiscoveryServiceDefinition,
  'AggregatedDiscoveryService',
) as unknown as new (
  address: string,
  creds: ReturnType<typeof credentials.createInsecure>,
  options: ChannelOptions,
) => AggregatedDiscoveryServiceClient;

export const DEFAULT_CHANNEL_OPTIONS: ChannelOptions = {
  // A private subchannel per attempt: grpc-js's shared pool would keep its own back-off across our retries.
  'grpc.use_local_subchannel_pool': 1,
  'grpc.max_receive_message_length': 128 * 1024 * 1024,
};

export interface AdsTransportEvents {
  /** A new stream is open: send the initial requests through `send`. */
  onOpen(send: (request: DiscoveryRequest) => void): void;
  onResponse(response: DiscoveryResponse): void;
  /** The stream ended; a new one follows after the back-off. */
  onClose(status: StatusObject, address: string): void;
  /** The first response arrived on a stream: the control plane at `address` is serving us. */
  onConnected(address: string): void;
}

export interface AdsTransportOptions {
  readonly addresses: readonly string[];
  readonly backoff: Backoff;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly channelOptions?: ChannelOptions;
  /**
   * The join token sent as `authorization: Bearer <token>` on each new stream, read then (a rotated token file
   * is picked up at the next reconnect); undefined sends none.
   */
  readonly token?: () => string | undefined;
}

interface OpenStream {
  readonly address: string;
  readonly client: AggregatedDiscoveryServiceClient;
  readonly cancel: () => void;
  received: boolean;
  ended: boolean;
}

export class AdsTransport {
  readonly #options: AdsTransportOptions;
  readonly #events: AdsTransportEvents;
  #index = 0;
  #stream: OpenStream | undefined;
  #retry: unknown;
  #closed = false;

  constructor(options: AdsTransportOptions, events: AdsTransportEvents) {
    this.#options = options;
    this.#events = events;
  }

  /** The address of the stream that has received a response, if any. */
  get connectedAddress(): string | undefined {
    return this.#stream?.received ? this.#stream.address : undefined;
  }

  start(): void {
    if (!this.#stream && this.#retry === undefined && !this.#closed) this.#open();
  }

  close(): void {
    this.#closed = true;
    if (this.#retry !== undefined) this.#options.timers.clearTimeout(this.#retry);
    this.#retry = undefined;
    const stream = this.#stream;
    this.#stream = undefined;
    if (stream) {
      stream.ended = true;
      stream.cancel();
      stream.client.close();
    }
  }

  #open(): void {
    const addresses = this.#options.addresses;
    const address = addresses[this.#index % addresses.length] as string;
    const client = new AdsGrpcClient(address, credentials.createInsecure(), {
      ...DEFAULT_CHANNEL_OPTIONS,
      ...this.#options.channelOptions,
    });
    const call = client.streamAggregatedResources(this.#streamMetadata());
    const stream: OpenStream = {
      address,
      client,
      cancel: () => call.cancel(),
      received: false,
      ended: false,
    };
    this.#stream = stream;
    call.on('data', (response: DiscoveryResponse) => {
      if (stream.ended) return;
      if (!stream.received) {
        stream.received = true;
        this.#options.backoff.reset();
        this.#events.onConnected(address);
      }
      this.#events.onResponse(response);
    });
    // The status event carries the outcome; without this listener an error would be thrown.
    call.on('error', () => {});
    call.on('status', (status: StatusObject) => this.#ended(stream, status));
    this.#options.logger.debug(`ADS stream opening to ${address}`);
    this.#events.onOpen((request) => {
      if (!stream.ended) call.write(request);
    });
  }

  #streamMetadata(): Metadata {
    const metadata = new Metadata();
    const token = this.#options.token?.();
    if (token !== undefined && token !== '') metadata.set('authorization', `Bearer ${token}`);
    return metadata;
  }

  #ended(stream: OpenStream, status: StatusObject): void {
    if (stream.ended) return;
    stream.ended = true;
    stream.client.close();
    if (this.#stream !== stream) return;
    this.#stream = undefined;
    this.#events.onClose(status, stream.address);
    if (this.#closed) return;
    // Any replica can serve: the next attempt goes to the next address.
    this.#index++;
    const delay = this.#options.backoff.next();
    this.#options.logger.warn(
      `ADS stream to ${stream.address} ended (${status.code} ${status.details}); retrying in ${delay} ms`,
    );
    this.#retry = this.#options.timers.setTimeout(() => {
      this.#retry = undefined;
      if (!this.#closed) this.#open();
    }, delay);
  }
}
