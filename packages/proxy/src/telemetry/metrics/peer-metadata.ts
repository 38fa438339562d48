// Istio's metadata exchange over HTTP headers, in Heddle's encoding: each side of a mesh hop tells the other
// who it is (workload, namespace, app, version, canonical service/revision, cluster) so both can label their
// metrics with the full source and destination. The client sends its metadata with the request and the
// server answers with its own in the response; both strip the peer's headers before anything leaves the mesh.
import type { HeaderMap, ReadonlyHeaderMap } from '../../http/headers.ts';
import { firstValue } from '../../http/headers.ts';

export const PEER_METADATA_HEADERS = {
  /** The peer's node id, so a peer can be told apart without decoding its metadata. */
  ID: 'x-envoy-peer-metadata-id',
  /** base64 of the JSON PeerMetadata. */
  METADATA: 'x-envoy-peer-metadata',
} as const;

export interface PeerMetadata {
  readonly workload: string;
  readonly namespace: string;
  readonly app: string;
  readonly version: string;
  readonly canonicalService: string;
  readonly canonicalRevision: string;
  readonly cluster: string;
}

export const UNKNOWN = 'unknown';

/** A bound on what a peer may make us decode and keep per label set. */
const MAX_ENCODED_LENGTH = 4096;
const MAX_FIELD_LENGTH = 253;

const FIELDS: readonly (keyof PeerMetadata)[] = [
  'workload',
  'namespace',
  'app',
  'version',
  'canonicalService',
  'canonicalRevision',
  'cluster',
];

export function encodePeerMetadata(metadata: PeerMetadata): string {
  return Buffer.from(JSON.stringify(metadata), 'utf8').toString('base64');
}

/**
 * Decoded peers by header value: a mesh has few peers, so most requests skip the base64 and JSON work, and
 * equal peers are one object (the metrics cache keys on that identity). Bounded: cleared when full.
 */
const decoded = new Map<string, PeerMetadata | null>();
const MAX_DECODED = 1024;

/** The peer's metadata, or undefined when absent or malformed (a malformed peer is an unknown peer). */
export function decodePeerMetadata(encoded: string | undefined): PeerMetadata | undefined {
  if (encoded === undefined || encoded.length === 0 || encoded.length > MAX_ENCODED_LENGTH) return undefined;
  const known = decoded.get(encoded);
  if (known !== undefined) return known ?? undefined;
  if (decoded.size >= MAX_DECODED) decoded.clear();
  const peer = parsePeerMetadata(encoded);
  decoded.set(encoded, peer ?? null);
  return peer;
}

function parsePeerMetadata(encoded: string): PeerMetadata | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = record[field];
    out[field] = typeof value === 'string' && value !== '' ? value.slice(0, MAX_FIELD_LENGTH) : UNKNOWN;
  }
  return out as unknown as PeerMetadata;
}

/** Reads the peer's metadata from `headers` and removes both exchange headers from them. */
export function takePeerMetadata(headers: HeaderMap): PeerMetadata | undefined {
  const peer = decodePeerMetadata(firstValue(headers, PEER_METADATA_HEADERS.METADATA));
  delete headers[PEER_METADATA_HEADERS.METADATA];
  delete headers[PEER_METADATA_HEADERS.ID];
  return peer;
}

/** Our side of the exchange, computed once per config: the header values to set. */
export interface LocalPeerHeaders {
  readonly id: string;
  readonly metadata: string;
}

export function localPeerHeaders(nodeId: string, metadata: PeerMetadata): LocalPeerHeaders {
  return { id: nodeId, metadata: encodePeerMetadata(metadata) };
}

/** Sets our exchange headers, replacing whatever a client or app put there. */
export function putPeerHeaders(headers: HeaderMap, local: LocalPeerHeaders): void {
  headers[PEER_METADATA_HEADERS.ID] = local.id;
  headers[PEER_METADATA_HEADERS.METADATA] = local.metadata;
}

export function hasPeerHeaders(headers: ReadonlyHeaderMap): boolean {
  return (
    headers[PEER_METADATA_HEADERS.METADATA] !== undefined || headers[PEER_METADATA_HEADERS.ID] !== undefined
  );
}
