// Turns the paths given on the command line (files, directories, `-` for stdin) into texts to validate,
// and every path that could not be read into a finding, so one bad path never hides the others.
import { realpath, stat } from 'node:fs/promises';
import type { Finding, TextSource } from '@heddle/api';
import { describeFsError, explainStatFailure } from './describe-fs-error.ts';
import {
  STDIN_NAME,
  emptyStdinFinding,
  noInputFinding,
  stdinTooLargeFinding,
  unreadableFinding,
} from './input-findings.ts';
import { listConfigFiles } from './list-config-files.ts';
import { readConfigFile } from './read-config-file.ts';
import { readStdin } from './read-stdin.ts';

export interface ReadSourcesResult {
  readonly sources: TextSource[];
  /** Paths that could not be read, were too large, or held nothing to validate. */
  readonly findings: Finding[];
  /** True when any path could not be read or was refused (an empty stdin is only a warning). */
  readonly failed: boolean;
  /** Files looked at, whether or not they could be read. */
  readonly fileCount: number;
}

interface Collector extends Omit<ReadSourcesResult, 'failed'> {
  fileCount: number;
  readonly seen: Set<string>;
}

export async function readSources(
  paths: readonly string[],
  stdin: AsyncIterable<Buffer | string>,
): Promise<ReadSourcesResult> {
  const collector: Collector = { sources: [], findings: [], fileCount: 0, seen: new Set() };
  for (const path of paths) {
    if (path === '-') await addStdin(collector, stdin);
    else await addPath(collector, path);
  }
  const { sources, findings, fileCount } = collector;
  return { sources, findings, fileCount, failed: findings.some((f) => f.level === 'Error') };
}

async function addStdin(collector: Collector, stdin: AsyncIterable<Buffer | string>): Promise<void> {
  if (collector.seen.has(STDIN_NAME)) return;
  collector.seen.add(STDIN_NAME);
  collector.fileCount++;
  let content;
  try {
    content = await readStdin(stdin);
  } catch (error) {
    collector.findings.push(unreadableFinding(STDIN_NAME, describeFsError(error)));
    return;
  }
  if (!('text' in content)) collector.findings.push(stdinTooLargeFinding());
  else if (content.text.trim() === '') collector.findings.push(emptyStdinFinding());
  else collector.sources.push({ name: STDIN_NAME, text: content.text });
}

async function addPath(collector: Collector, path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    addUnreadable(collector, path, await explainStatFailure(path, error));
    return;
  }
  if (info.isDirectory()) {
    const listing = await listConfigFiles(path);
    for (const problem of listing.problems) addUnreadable(collector, problem.path, problem.reason);
    if (listing.files.length === 0 && listing.problems.length === 0) {
      collector.findings.push(noInputFinding(path));
    }
    for (const file of listing.files) await addFile(collector, file);
  } else if (info.isFile()) {
    await addFile(collector, path);
  } else {
    addUnreadable(collector, path, 'not a regular file (to read standard input, pass "-")');
  }
}

function addUnreadable(collector: Collector, path: string, reason: string): void {
  // The same broken path may be named directly and found again in a directory walk.
  if (collector.seen.has(path)) return;
  collector.seen.add(path);
  collector.fileCount++;
  collector.findings.push(unreadableFinding(path, reason));
}

async function addFile(collector: Collector, path: string): Promise<void> {
  const key = await realpath(path).catch(() => path);
  if (collector.seen.has(key)) return;
  collector.seen.add(key);
  collector.fileCount++;
  const content = await readConfigFile(path);
  if ('source' in content) collector.sources.push(content.source);
  else collector.findings.push(content.finding);
}
