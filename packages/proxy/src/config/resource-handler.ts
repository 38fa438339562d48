// The seam between the xDS client and the subsystems that own each resource type: an update is prepared
// (decoded, validated, compiled) as a whole, and only committed when every part of it is good.
import type { Message } from '@bufbuild/protobuf';

export interface PreparedUpdate {
  /**
   * Takes what the update needs from the system before it is ACKed (listener sockets: a port that cannot be
   * bound rejects the update, as in Envoy). Resolves to an error to NACK with, after releasing whatever it
   * took; undefined when the update may be ACKed and committed.
   */
  acquire?(): Promise<string | undefined>;
  /** Swaps the compiled config in; never fails (all checks happened in prepare and acquire). */
  commit(): void;
}

export type PrepareResult = PreparedUpdate | { readonly error: string };

export interface ResourceHandler<T extends Message = Message> {
  readonly typeUrl: string;
  /**
   * Receives the complete set of resources of this type (State of the World) keyed by name.
   * Returns an error naming the resource and field for anything the proxy cannot apply; the xDS client
   * then NACKs with that error and keeps the previous config.
   */
  prepare(resources: ReadonlyMap<string, T>): PrepareResult;
  /** Resource names this handler needs from other types (e.g. listeners → route configs), for subscriptions. */
  dependencies?(): readonly string[];
}

export function isPrepareError(result: PrepareResult): result is { readonly error: string } {
  return 'error' in result;
}
