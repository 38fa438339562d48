// What a validation run hands to the renderers: the sorted findings and what was looked at.
import type { Finding } from '@heddle/api';

export interface ValidationReport {
  readonly findings: readonly Finding[];
  readonly fileCount: number;
  readonly resourceCount: number;
}

export type OutputFormat = 'text' | 'json' | 'yaml';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'yaml'];
