// Reads standard input up to the file size limit, stopping early rather than buffering an endless stream.
import { MAX_FILE_BYTES } from '@heddle/api';

export type StdinContent = { readonly text: string } | { readonly tooLarge: true };

export async function readStdin(stdin: AsyncIterable<Buffer | string>): Promise<StdinContent> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    bytes += buffer.length;
    if (bytes > MAX_FILE_BYTES) return { tooLarge: true };
    chunks.push(buffer);
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}
