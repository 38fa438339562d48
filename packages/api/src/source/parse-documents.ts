// Turns the text of one file into documents, reporting YAML problems per document so one bad
// document never hides the others.
import { LineCounter, parseAllDocuments, type YAMLError } from 'yaml';
import type { Finding } from '../findings/finding.ts';
import { SOURCE_CODES } from '../findings/codes.ts';
import { createSourceDocument, type SourceDocument } from './source-document.ts';

/** Files above this size are refused: Kubernetes itself refuses objects above ~1.5 MiB. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** Nesting deeper than this is refused; real mesh resources stay well under 30 levels. */
export const MAX_NESTING_DEPTH = 64;

export interface ParsedFile {
  readonly documents: readonly SourceDocument[];
  readonly findings: readonly Finding[];
}

const YAML_ERROR_CODES: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: SOURCE_CODES.YAML_TAB_INDENT,
  DUPLICATE_KEY: SOURCE_CODES.YAML_DUPLICATE_KEY,
  BAD_INDENT: SOURCE_CODES.YAML_BAD_INDENT,
  BLOCK_AS_IMPLICIT_KEY: SOURCE_CODES.YAML_BAD_INDENT,
  MULTILINE_IMPLICIT_KEY: SOURCE_CODES.YAML_BAD_INDENT,
  MISSING_CHAR: SOURCE_CODES.YAML_BAD_INDENT,
};

const YAML_ERROR_HINTS: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: 'YAML does not allow tabs for indentation; indent with spaces',
  DUPLICATE_KEY: 'this key appears twice in the same mapping; YAML requires unique keys',
  BAD_INDENT: 'the indentation does not line up with the surrounding block',
  BLOCK_AS_IMPLICIT_KEY: 'the indentation does not line up with the surrounding block',
  MULTILINE_IMPLICIT_KEY: 'a key spans several lines; the indentation is probably off',
};

function yamlErrorFinding(file: string, error: YAMLError): Finding {
  if (error.code === 'RESOURCE_EXHAUSTION') return exhaustionFinding(file, error);
  const code = YAML_ERROR_CODES[error.code] ?? SOURCE_CODES.YAML_SYNTAX;
  const firstLine = error.message.split('\n')[0] ?? error.message;
  const detail = firstLine.replace(/ at line \d+, column \d+:?$/, '');
  const hint = YAML_ERROR_HINTS[error.code];
  const pos = error.linePos?.[0];
  return {
    code,
    level: 'Error',
    message: hint ? `${hint} (${detail})` : `YAML syntax error: ${detail}`,
    file,
    ...(pos ? { line: pos.line, column: pos.col } : {}),
  };
}

/** The parser gives up both on alias bombs and on absurd nesting; tell the two apart for the user. */
function exhaustionFinding(file: string, error: YAMLError): Finding {
  const pos = error.linePos?.[0];
  const aliases = /alias/i.test(error.message);
  return {
    code: aliases ? SOURCE_CODES.YAML_TOO_MANY_ALIASES : SOURCE_CODES.YAML_TOO_DEEP,
    level: 'Error',
    message: aliases
      ? 'too many alias expansions (possible "billion laughs" document)'
      : `document is nested too deeply to read (more than ${MAX_NESTING_DEPTH} levels is refused)`,
    file,
    ...(pos ? { line: pos.line, column: pos.col } : {}),
  };
}

function nestingDepthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

export function parseDocuments(file: string, text: string): ParsedFile {
  const findings: Finding[] = [];
  const byteLength = Buffer.byteLength(text, 'utf8');
  if (byteLength > MAX_FILE_BYTES) {
    const mb = (byteLength / (1024 * 1024)).toFixed(1);
    findings.push({
      code: SOURCE_CODES.FILE_TOO_LARGE,
      level: 'Error',
      message: `file is ${mb} MiB; the limit is ${MAX_FILE_BYTES / (1024 * 1024)} MiB (split it into several files)`,
      file,
    });
    return { documents: [], findings };
  }
  const lineCounter = new LineCounter();
  let parsed;
  try {
    parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  } catch (error) {
    findings.push(tooDeep(file, error));
    return { documents: [], findings };
  }
  const list = Array.isArray(parsed) ? parsed : [];
  const documents: SourceDocument[] = [];
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      const seen = new Set<string>();
      for (const error of doc.errors) {
        const finding = yamlErrorFinding(file, error);
        const key = `${finding.code}|${finding.line ?? 0}`;
        if (!seen.has(key)) findings.push(finding);
        seen.add(key);
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      findings.push(
        /alias/i.test(message)
          ? {
              code: SOURCE_CODES.YAML_TOO_MANY_ALIASES,
              level: 'Error',
              message: 'too many alias expansions (possible "billion laughs" document)',
              file,
              line: lineCounter.linePos(doc.range[0]).line,
            }
          : tooDeep(file, error),
      );
      return;
    }
    if (value === null || value === undefined) return; // empty document between separators
    if (nestingDepthExceeds(value, MAX_NESTING_DEPTH)) {
      findings.push({
        code: SOURCE_CODES.YAML_TOO_DEEP,
        level: 'Error',
        message: `document is nested more than ${MAX_NESTING_DEPTH} levels deep; no mesh resource needs that`,
        file,
        line: lineCounter.linePos(doc.range[0]).line,
      });
      return;
    }
    documents.push(createSourceDocument(file, index, doc, value, lineCounter));
  });
  return { documents, findings };
}

function tooDeep(file: string, error: unknown): Finding {
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: error instanceof RangeError ? SOURCE_CODES.YAML_TOO_DEEP : SOURCE_CODES.YAML_SYNTAX,
    level: 'Error',
    message:
      error instanceof RangeError
        ? `document is nested too deeply to read (more than ${MAX_NESTING_DEPTH} levels is refused)`
        : `YAML could not be read: ${message}`,
    file,
  };
}
