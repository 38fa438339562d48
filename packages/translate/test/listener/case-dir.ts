// Shared by the listener tests: where the golden cases live, and the warnings the listener builders emit.
import { join } from 'node:path';
import type { TranslationOutput } from '@heddle/translate';
import { LISTENER_WARNINGS } from '../../src/listener/warning-codes.ts';

export function caseDir(name: string): string {
  return join(import.meta.dirname, '..', 'testdata', name);
}

const LISTENER_CODES = new Set<string>(Object.values(LISTENER_WARNINGS));

/** `[code, resource]` of the listener builders' warnings; other generators' warnings are left out. */
export function listenerWarnings(output: TranslationOutput): [string, string | undefined][] {
  return output.warnings.filter((w) => LISTENER_CODES.has(w.code)).map((w) => [w.code, w.resource]);
}
