// Says in one line why the control plane could not be reached; points at `heddle control` if nothing listens.
import { describeFsError } from '../input/describe-fs-error.ts';

const NOTHING_LISTENING = new Set(['ECONNREFUSED', 'ENOENT']);

export function describeRequestFailure(error: unknown, url: string, timeoutMs: number): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const name = error instanceof Error ? error.name : '';
  if (typeof code === 'string' && NOTHING_LISTENING.has(code)) {
    return `cannot reach the control plane at ${url} (is \`heddle control\` running?)`;
  }
  if (name === 'AbortError' || name === 'TimeoutError') {
    return `the control plane at ${url} did not answer within ${timeoutMs / 1000} s`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `cannot reach the control plane at ${url}: unknown host`;
  }
  return `cannot reach the control plane at ${url}: ${describeFsError(error)}`;
}
