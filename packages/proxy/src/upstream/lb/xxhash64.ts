// xxHash64 (the hash Envoy uses for ring hash and maglev) over UTF-8 text, in 32-bit halves so a pick costs
// no BigInt arithmetic; the result lands in a reusable Hash64.

/** A 64-bit hash as two unsigned 32-bit halves. */
export class Hash64 {
  hi = 0;
  lo = 0;

  /** The hash modulo `m` (m below 2^26 keeps every step exact in a double). */
  mod(m: number): number {
    return ((this.hi % m) * (0x100000000 % m) + (this.lo % m)) % m;
  }

  toBigInt(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }
}

const P1H = 0x9e3779b1,
  P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d,
  P2L = 0x27d4eb4f;
const P3H = 0x165667b1,
  P3L = 0x9e3779f9;
const P4H = 0x85ebca77,
  P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f,
  P5L = 0x165667c5;

const encoder = new TextEncoder();
let bytes = new Uint8Array(256);

// Result registers of the 64-bit helpers below (no allocation per operation).
let rh = 0;
let rl = 0;

function mul(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const high = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  rl = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  rh = (high + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

function add(ah: number, al: number, bh: number, bl: number): void {
  const low = al + bl;
  rl = low >>> 0;
  rh = (ah + bh + (low > 0xffffffff ? 1 : 0)) >>> 0;
}

/** Rotation left by r (0 < r < 32). */
function rotl(h: number, l: number, r: number): void {
  rh = ((h << r) | (l >>> (32 - r))) >>> 0;
  rl = ((l << r) | (h >>> (32 - r))) >>> 0;
}

/** acc = rotl(acc + input × P2, 31) × P1 */
function round(acch: number, accl: number, inh: number, inl: number): void {
  mul(inh, inl, P2H, P2L);
  add(acch, accl, rh, rl);
  rotl(rh, rl, 31);
  mul(rh, rl, P1H, P1L);
}

/** h = (h ^ round(0, v)) × P1 + P4 */
function merge(hh: number, hl: number, vh: number, vl: number): void {
  round(0, 0, vh, vl);
  mul((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, P1H, P1L);
  add(rh, rl, P4H, P4L);
}

const read32 = (p: number): number =>
  ((bytes[p] as number) |
    ((bytes[p + 1] as number) << 8) |
    ((bytes[p + 2] as number) << 16) |
    ((bytes[p + 3] as number) << 24)) >>>
  0;

/** Hashes `text` into `out` (seed is a small non-negative integer). */
export function xxhash64(text: string, out: Hash64, seed = 0): Hash64 {
  if (text.length * 3 > bytes.length) bytes = new Uint8Array(text.length * 3);
  const len = encoder.encodeInto(text, bytes).written;
  let p = 0;
  let hh: number;
  let hl: number;
  if (len >= 32) {
    add(0, seed, P1H, P1L);
    add(rh, rl, P2H, P2L);
    let v1h = rh,
      v1l = rl;
    add(0, seed, P2H, P2L);
    let v2h = rh,
      v2l = rl;
    let v3h = 0,
      v3l = seed;
    // seed - P1 = seed + (2^64 - P1)
    add(0, seed, ~P1H >>> 0, (~P1L + 1) >>> 0);
    let v4h = rh,
      v4l = rl;
    while (p <= len - 32) {
      round(v1h, v1l, read32(p + 4), read32(p));
      v1h = rh;
      v1l = rl;
      round(v2h, v2l, read32(p + 12), read32(p + 8));
      v2h = rh;
      v2l = rl;
      round(v3h, v3l, read32(p + 20), read32(p + 16));
      v3h = rh;
      v3l = rl;
      round(v4h, v4l, read32(p + 28), read32(p + 24));
      v4h = rh;
      v4l = rl;
      p += 32;
    }
    rotl(v1h, v1l, 1);
    let sh = rh,
      sl = rl;
    rotl(v2h, v2l, 7);
    add(sh, sl, rh, rl);
    sh = rh;
    sl = rl;
    rotl(v3h, v3l, 12);
    add(sh, sl, rh, rl);
    sh = rh;
    sl = rl;
    rotl(v4h, v4l, 18);
    add(sh, sl, rh, rl);
    hh = rh;
    hl = rl;
    merge(hh, hl, v1h, v1l);
    merge(rh, rl, v2h, v2l);
    merge(rh, rl, v3h, v3l);
    merge(rh, rl, v4h, v4l);
    hh = rh;
    hl = rl;
  } else {
    add(0, seed, P5H, P5L);
    hh = rh;
    hl = rl;
  }
  add(hh, hl, 0, len);
  hh = rh;
  hl = rl;
  while (p + 8 <= len) {
    round(0, 0, read32(p + 4), read32(p));
    rotl((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, 27);
    mul(rh, rl, P1H, P1L);
    add(rh, rl, P4H, P4L);
    hh = rh;
    hl = rl;
    p += 8;
  }
  if (p + 4 <= len) {
    mul(0, read32(p), P1H, P1L);
    rotl((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, 23);
    mul(rh, rl, P2H, P2L);
    add(rh, rl, P3H, P3L);
    hh = rh;
    hl = rl;
    p += 4;
  }
  while (p < len) {
    mul(0, bytes[p] as number, P5H, P5L);
    rotl((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, 11);
    mul(rh, rl, P1H, P1L);
    hh = rh;
    hl = rl;
    p++;
  }
  // Avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32.
  hl = (hl ^ (hh >>> 1)) >>> 0;
  mul(hh, hl, P2H, P2L);
  hh = rh;
  hl = (rl ^ ((rl >>> 29) | (rh << 3))) >>> 0;
  hh = (hh ^ (hh >>> 29)) >>> 0;
  mul(hh, hl, P3H, P3L);
  out.hi = rh;
  out.lo = (rl ^ rh) >>> 0;
  return out;
}
