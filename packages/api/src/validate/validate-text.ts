// Convenience entry point: parse and validate several texts at once (files, stdin, request bodies).
import type { Finding } from '../findings/finding.ts';
import { parseDocuments } from '../source/parse-documents.ts';
import { validateDocuments, type ValidatedResource } from './validate-documents.ts';

export interface TextSource {
  /** File name (or `<stdin>`) used in findings. */
  readonly name: string;
  readonly text: string;
}

export interface TextValidation {
  readonly findings: Finding[];
  readonly resources: ValidatedResource[];
  /** Sources that could not be parsed at all (YAML errors or size limits). */
  readonly unparseable: string[];
}

export function validateText(sources: readonly TextSource[]): TextValidation {
  const findings: Finding[] = [];
  const resources: ValidatedResource[] = [];
  const unparseable: string[] = [];
  for (const source of sources) {
    const parsed = parseDocuments(source.name, source.text);
    findings.push(...parsed.findings);
    if (parsed.findings.some((f) => f.level === 'Error')) unparseable.push(source.name);
    const result = validateDocuments(parsed.documents);
    findings.push(...result.findings);
    resources.push(...result.resources);
  }
  return { findings, resources, unparseable };
}
