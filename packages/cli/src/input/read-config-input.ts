// Reads the paths of a command line and validates what was read: the first step of validate, apply, delete.
import { compareFindings, validateText, type Finding, type TextSource } from '@heddle/api';
import { readSources } from './read-sources.ts';

export interface ConfigInput {
  readonly sources: readonly TextSource[];
  /** Reading and validation findings together, sorted by file and line. */
  readonly findings: readonly Finding[];
  /** A path could not be read or was refused, or a file could not be parsed as YAML. */
  readonly inputFailed: boolean;
  readonly fileCount: number;
  readonly resourceCount: number;
  /** Resources of kinds Heddle reads (the ones apply stores). */
  readonly meshResourceCount: number;
}

export async function readConfigInput(
  paths: readonly string[],
  stdin: AsyncIterable<Buffer | string>,
): Promise<ConfigInput> {
  const input = await readSources(paths, stdin);
  const validation = validateText(input.sources);
  return {
    sources: input.sources,
    findings: [...input.findings, ...validation.findings].sort(compareFindings),
    inputFailed: input.failed || validation.unparseable.length > 0,
    fileCount: input.fileCount,
    resourceCount: validation.resources.length,
    meshResourceCount: validation.resources.filter((resource) => resource.mesh).length,
  };
}
