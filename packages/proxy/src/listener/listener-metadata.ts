// Heddle-only listener settings carried in the listener's metadata (Envoy has no field for them).
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';

/** filter_metadata namespace the translator writes Heddle listener settings under. */
export const HEDDLE_LISTENER_METADATA = 'heddle';
/** Per-listener connection limit; over it, new connections are closed (`downstream_cx_overflow`). */
export const MAX_CONNECTIONS_KEY = 'max_connections';
export const DEFAULT_MAX_CONNECTIONS = 10_000;

export function maxConnectionsOf(listener: Listener): number | { error: string } {
  const value = listener.metadata?.filterMetadata[HEDDLE_LISTENER_METADATA]?.[MAX_CONNECTIONS_KEY];
  if (value === undefined || value === null) return DEFAULT_MAX_CONNECTIONS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    return {
      error: `metadata.filter_metadata.${HEDDLE_LISTENER_METADATA}.${MAX_CONNECTIONS_KEY}: must be a positive integer`,
    };
  return value;
}
