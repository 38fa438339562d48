// Reads a request body up to a size limit; larger bodies are refused with 413 before they are buffered.
import type { IncomingMessage } from 'node:http';
import { CONTROL_PLANE_CODES } from '../errors.ts';
import { HttpError } from './http-error.ts';

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(
    413,
    CONTROL_PLANE_CODES.HTTP_BODY_TOO_LARGE,
    `the request body exceeds ${maxBytes} bytes; split the input into several requests`,
  );
}
