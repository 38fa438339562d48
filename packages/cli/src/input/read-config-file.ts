// Reads one config file, refusing it by size before its contents are loaded.
import { open } from 'node:fs/promises';
import { MAX_FILE_BYTES, type Finding, type TextSource } from '@heddle/api';
import { describeFsError } from './describe-fs-error.ts';
import { tooLargeFinding, unreadableFinding } from './input-findings.ts';

export type FileContent = { readonly source: TextSource } | { readonly finding: Finding };

export async function readConfigFile(path: string): Promise<FileContent> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return { finding: unreadableFinding(path, describeFsError(error)) };
  }
  try {
    // Stat the open handle, not the path, so the size checked is the size of what is read.
    const { size } = await handle.stat();
    if (size > MAX_FILE_BYTES) return { finding: tooLargeFinding(path, size) };
    return { source: { name: path, text: await handle.readFile('utf8') } };
  } catch (error) {
    return { finding: unreadableFinding(path, describeFsError(error)) };
  } finally {
    await handle.close();
  }
}
