// What an ADS stream needs from the server around it: clock, metrics, nonces, translation and registration.
import type { Metadata } from '@grpc/grpc-js';
import type { ProxyNode } from '@heddle/translate';
import type { Logger } from '../server/logger.ts';
import type { PilotMetrics } from '../metrics/pilot-metrics.ts';
import type { Clock } from '../push/clock.ts';
import type { XdsCaller } from './auth/xds-caller.ts';
import type { XdsStream } from './xds-stream.ts';

export interface StreamContext {
  readonly clock: Clock;
  readonly metrics: PilotMetrics;
  readonly logger: Logger;
  /** `control_plane.identifier` of every response. */
  readonly controlPlaneIdentifier: string;
  /** 0 disables the timeout. */
  readonly writeTimeoutMs: number;
  nextNonce(): string;
  nextConnectionId(node: ProxyNode): string;
  connect(stream: XdsStream): void;
  disconnect(stream: XdsStream): void;
  /**
   * Who opened a stream, from its metadata and peer address; throws or rejects with XdsAuthRefused. Synchronous
   * when nothing needs verifying (see auth/xds-authenticator.ts).
   */
  admit(metadata: Metadata, peer: string): XdsCaller | Promise<XdsCaller>;
  /** Queues the first translation of a newly identified proxy; its result arrives through `stream.push`. */
  requestInitialTranslation(stream: XdsStream): void;
}
