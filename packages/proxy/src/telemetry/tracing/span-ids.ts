// Random trace and span ids (hex), drawn from a pooled buffer of crypto randomness so a request costs no
// system call.
import { randomFillSync } from 'node:crypto';

const POOL = Buffer.alloc(4096);
let offset = POOL.length;

function randomHex(bytes: number): string {
  if (offset + bytes > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const hex = POOL.toString('hex', offset, offset + bytes);
  offset += bytes;
  // An all-zero id is invalid in both B3 and W3C.
  return /^0+$/.test(hex) ? randomHex(bytes) : hex;
}

export const newSpanId = (): string => randomHex(8);
export const newTraceId = (bits128: boolean): string => randomHex(bits128 ? 16 : 8);
