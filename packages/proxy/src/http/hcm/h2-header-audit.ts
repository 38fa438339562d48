// Counts the header fields each HTTP/2 request's header block carries, read from the raw frames before
// node:http2 decodes them. nghttp2 silently drops a field whose value holds NUL, CR or LF (or other invalid
// bytes) and Node passes the rest of the request on; comparing this count with the fields Node delivers
// finds such requests so the stream is reset instead of forwarded without the field.
//
// Only the HPACK instruction stream is walked (string lengths, no Huffman decoding, no dynamic table): an
// indexed field refers to an entry some earlier literal brought in, and that literal was counted there.

const HEADERS = 0x1;
const CONTINUATION = 0x9;
const END_HEADERS = 0x4;
const PADDED = 0x8;
const PRIORITY = 0x20;
const FRAME_HEADER = 9;
/** Larger header blocks are refused by the codec's own limits anyway; they are not counted. */
const MAX_BLOCK_BYTES = 256 * 1024;
/** Counts waiting for Node's 'stream' event; streams nghttp2 refused never claim theirs. */
const MAX_PENDING = 512;

export class H2HeaderAudit {
  #carry: Uint8Array = new Uint8Array(0);
  /** Bytes of the current frame's payload still to skip or collect. */
  #remaining = 0;
  #frame: { type: number; flags: number; streamId: number; parts: Uint8Array[]; size: number } | undefined;
  /** The header block being assembled across HEADERS + CONTINUATION. */
  #block: { streamId: number; parts: Uint8Array[]; size: number; oversized: boolean } | undefined;
  #prefaceLeft = 24;
  #highestStream = 0;
  readonly #counts = new Map<number, number>();

  /** Feeds bytes as they arrive from the client, in order. */
  push(chunk: Uint8Array): void {
    let data = chunk;
    if (this.#prefaceLeft > 0) {
      const skip = Math.min(this.#prefaceLeft, data.length);
      this.#prefaceLeft -= skip;
      data = data.subarray(skip);
    }
    let at = 0;
    while (at < data.length) {
      if (this.#remaining > 0 || this.#frame) {
        const take = Math.min(this.#remaining, data.length - at);
        const frame = this.#frame;
        if (frame && take > 0) {
          frame.parts.push(data.subarray(at, at + take));
          frame.size += take;
        }
        this.#remaining -= take;
        at += take;
        if (this.#remaining === 0 && frame) {
          this.#frame = undefined;
          this.#onHeaderFrame(frame.type, frame.flags, frame.streamId, concat(frame.parts, frame.size));
        }
        continue;
      }
      // A frame header, possibly split across chunks.
      const need = FRAME_HEADER - this.#carry.length;
      if (data.length - at < need) {
        this.#carry = concat([this.#carry, data.subarray(at)], this.#carry.length + data.length - at);
        return;
      }
      const head =
        this.#carry.length > 0
          ? concat([this.#carry, data.subarray(at, at + need)], 9)
          : data.subarray(at, at + 9);
      at += need;
      this.#carry = new Uint8Array(0);
      const length = ((head[0] as number) << 16) | ((head[1] as number) << 8) | (head[2] as number);
      const type = head[3] as number;
      const flags = head[4] as number;
      const streamId =
        (((head[5] as number) & 0x7f) << 24) |
        ((head[6] as number) << 16) |
        ((head[7] as number) << 8) |
        (head[8] as number);
      this.#remaining = length;
      if (type === HEADERS || type === CONTINUATION) {
        this.#frame = { type, flags, streamId, parts: [], size: 0 };
        if (length === 0) {
          this.#frame = undefined;
          this.#onHeaderFrame(type, flags, streamId, new Uint8Array(0));
        }
      }
    }
  }

  /** The number of fields the stream's request header block carried; undefined when unknown. */
  take(streamId: number): number | undefined {
    const count = this.#counts.get(streamId);
    this.#counts.delete(streamId);
    return count;
  }

  #onHeaderFrame(type: number, flags: number, streamId: number, payload: Uint8Array): void {
    let fragment = payload;
    if (type === HEADERS) {
      let start = 0;
      let end = payload.length;
      if (flags & PADDED) {
        start = 1;
        end -= payload[0] ?? 0;
      }
      if (flags & PRIORITY) start += 5;
      fragment = start <= end ? payload.subarray(start, end) : new Uint8Array(0);
      // Only a request's first header block is audited; later ones on the stream are trailers.
      const isRequest = streamId > this.#highestStream;
      if (isRequest) this.#highestStream = streamId;
      this.#block = isRequest ? { streamId, parts: [], size: 0, oversized: false } : undefined;
    } else if (this.#block?.streamId !== streamId) {
      return;
    }
    const block = this.#block;
    if (!block) return;
    if (block.size + fragment.length > MAX_BLOCK_BYTES) block.oversized = true;
    else {
      block.parts.push(fragment);
      block.size += fragment.length;
    }
    if ((flags & END_HEADERS) === 0) return;
    this.#block = undefined;
    if (block.oversized) return;
    const count = countFields(concat(block.parts, block.size));
    if (count === undefined) return;
    if (this.#counts.size >= MAX_PENDING) {
      const oldest = this.#counts.keys().next().value;
      if (oldest !== undefined) this.#counts.delete(oldest);
    }
    this.#counts.set(streamId, count);
  }
}

/** Walks an HPACK block (RFC 7541 §6) counting field representations; undefined when it is malformed. */
export function countFields(block: Uint8Array): number | undefined {
  let at = 0;
  let count = 0;
  const int = (prefixBits: number): number | undefined => {
    const max = (1 << prefixBits) - 1;
    let value = (block[at++] as number) & max;
    if (value < max) return value;
    let shift = 0;
    for (;;) {
      if (at >= block.length || shift > 28) return undefined;
      const byte = block[at++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if ((byte & 0x80) === 0) return value;
    }
  };
  const skipString = (): boolean => {
    if (at >= block.length) return false;
    const length = int(7);
    if (length === undefined || at + length > block.length) return false;
    at += length;
    return true;
  };
  while (at < block.length) {
    const first = block[at] as number;
    if (first & 0x80) {
      // Indexed field.
      if (int(7) === undefined) return undefined;
      count++;
    } else if ((first & 0xe0) === 0x20) {
      // Dynamic table size update: not a field.
      if (int(5) === undefined) return undefined;
    } else {
      const nameIndex = int((first & 0x40) !== 0 ? 6 : 4);
      if (nameIndex === undefined) return undefined;
      if (nameIndex === 0 && !skipString()) return undefined;
      if (!skipString()) return undefined;
      count++;
    }
  }
  return count;
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
