// A pure reader of the first bytes of a connection: is it a TLS ClientHello, and which SNI and ALPN does it
// carry. Tolerates TCP and TLS-record fragmentation; never reads past its byte budget.
import { ByteReader, u16 } from './byte-reader.ts';

export type ClientHelloResult =
  /** Call again once `needBytes` bytes (in total) have arrived. */
  | { readonly kind: 'need-more'; readonly needBytes: number }
  /** The bytes are not a TLS handshake (plaintext, or an SSLv2-style hello). */
  | { readonly kind: 'not-tls' }
  /** Looks like TLS but breaks the ClientHello grammar. */
  | { readonly kind: 'malformed' }
  /** The ClientHello would need more than the byte budget. */
  | { readonly kind: 'too-large' }
  | {
      readonly kind: 'client-hello';
      /** Lower-cased host_name from server_name, when sent. */
      readonly serverName: string | undefined;
      /** ALPN protocols in the client's order of preference. */
      readonly alpn: readonly string[];
    };

/** Envoy's tls_inspector default for max_client_hello_size. */
export const DEFAULT_MAX_CLIENT_HELLO_BYTES = 64 * 1024;
const RECORD_HEADER = 5;
const MAX_RECORD_PAYLOAD = 16384 + 2048;
/** Real ClientHellos span one to a few records; many tiny records are an attack on the re-parse. */
const MAX_RECORDS = 16;
const CONTENT_HANDSHAKE = 0x16;
const HANDSHAKE_CLIENT_HELLO = 1;
const EXT_SERVER_NAME = 0;
const EXT_ALPN = 16;

const NOT_TLS = { kind: 'not-tls' } as const;
const MALFORMED = { kind: 'malformed' } as const;
const TOO_LARGE = { kind: 'too-large' } as const;
const needMore = (needBytes: number): ClientHelloResult => ({ kind: 'need-more', needBytes });

export function parseClientHello(
  data: Uint8Array,
  maxBytes: number = DEFAULT_MAX_CLIENT_HELLO_BYTES,
): ClientHelloResult {
  if (data.length >= 1 && data[0] !== CONTENT_HANDSHAKE) return NOT_TLS;
  if (data.length >= 2 && data[1] !== 3) return NOT_TLS;
  const payloads: Uint8Array[] = [];
  let handshakeLength = 0;
  let offset = 0;
  for (let records = 0; ; records++) {
    if (data.length - offset < RECORD_HEADER) return budget(offset + RECORD_HEADER, maxBytes);
    if (records >= MAX_RECORDS) return MALFORMED;
    if (data[offset] !== CONTENT_HANDSHAKE || data[offset + 1] !== 3 || (data[offset + 2] ?? 0) > 4)
      return offset === 0 ? NOT_TLS : MALFORMED;
    const length = u16(data, offset + 3);
    if (length === 0 || length > MAX_RECORD_PAYLOAD) return offset === 0 ? NOT_TLS : MALFORMED;
    const end = offset + RECORD_HEADER + length;
    if (data.length < end) {
      // The handshake header in a first, still partial record already tells an oversized or wrong message.
      const early = handshakeLength === 0 ? data.subarray(offset + RECORD_HEADER) : undefined;
      if (early && early.length >= 4) {
        if (early[0] !== HANDSHAKE_CLIENT_HELLO) return MALFORMED;
        if (4 + (((early[1] ?? 0) << 16) | u16(early, 2)) > maxBytes) return TOO_LARGE;
      }
      return budget(end, maxBytes);
    }
    payloads.push(data.subarray(offset + RECORD_HEADER, end));
    handshakeLength += length;
    offset = end;
    if (handshakeLength < 4) continue;
    const handshake = payloads.length === 1 ? (payloads[0] as Uint8Array) : concat(payloads, handshakeLength);
    payloads.length = 0;
    payloads.push(handshake);
    if (handshake[0] !== HANDSHAKE_CLIENT_HELLO) return MALFORMED;
    const bodyLength = ((handshake[1] ?? 0) << 16) | u16(handshake, 2);
    if (4 + bodyLength > maxBytes) return TOO_LARGE;
    if (handshakeLength >= 4 + bodyLength) return parseBody(handshake.subarray(4, 4 + bodyLength));
  }
}

function budget(needBytes: number, maxBytes: number): ClientHelloResult {
  return needBytes > maxBytes ? TOO_LARGE : needMore(needBytes);
}

function parseBody(body: Uint8Array): ClientHelloResult {
  const r = new ByteReader(body);
  r.skip(2 + 32); // legacy_version, random
  const sessionId = r.u8();
  if (sessionId > 32) return MALFORMED;
  r.skip(sessionId);
  const suites = r.u16();
  if (suites < 2 || suites % 2 !== 0) return MALFORMED;
  r.skip(suites);
  const compression = r.u8();
  if (compression < 1) return MALFORMED;
  r.skip(compression);
  if (r.failed) return MALFORMED;
  if (r.remaining === 0) return { kind: 'client-hello', serverName: undefined, alpn: [] };
  if (r.u16() !== r.remaining) return MALFORMED;
  const seen = new Set<number>();
  let serverName: string | undefined;
  let alpn: string[] = [];
  while (r.remaining > 0 && !r.failed) {
    const type = r.u16();
    const ext = r.sub(r.u16());
    if (r.failed || seen.has(type)) return MALFORMED;
    seen.add(type);
    if (type === EXT_SERVER_NAME) {
      const name = parseServerName(ext);
      if (name === null) return MALFORMED;
      serverName = name;
    } else if (type === EXT_ALPN) {
      const protocols = parseAlpn(ext);
      if (protocols === null) return MALFORMED;
      alpn = protocols;
    }
  }
  return r.failed ? MALFORMED : { kind: 'client-hello', serverName, alpn };
}

/** null when malformed; undefined when the list carries no host_name. */
function parseServerName(ext: ByteReader): string | undefined | null {
  if (ext.u16() !== ext.remaining || ext.remaining === 0) return null;
  let host: string | undefined;
  while (ext.remaining > 0) {
    const nameType = ext.u8();
    const name = ext.bytes(ext.u16());
    if (ext.failed) return null;
    if (nameType !== 0) continue;
    if (host !== undefined || !isHostName(name)) return null;
    host = Buffer.from(name).toString('latin1').toLowerCase();
  }
  return host;
}

function isHostName(name: Uint8Array): boolean {
  return name.length > 0 && name.length <= 255 && name.every((b) => b > 0x20 && b < 0x7f);
}

function parseAlpn(ext: ByteReader): string[] | null {
  if (ext.u16() !== ext.remaining || ext.remaining === 0) return null;
  const protocols: string[] = [];
  while (ext.remaining > 0) {
    const protocol = ext.bytes(ext.u8());
    if (ext.failed || protocol.length === 0) return null;
    protocols.push(Buffer.from(protocol).toString('latin1'));
  }
  return protocols;
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
