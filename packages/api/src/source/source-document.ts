// One parsed YAML/JSON document with a way back from a field path to its line and column.
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { FieldPath } from './field-path.ts';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface SourceDocument {
  readonly file: string;
  /** 0-based index of the document inside its file. */
  readonly index: number;
  readonly value: unknown;
  /** Position of the document's first content. */
  readonly start: Position;
  /** Position of the field at `path`; for a missing field, of its nearest existing parent. */
  locate(path: FieldPath): Position;
}

export function createSourceDocument(
  file: string,
  index: number,
  doc: Document.Parsed,
  value: unknown,
  lineCounter: LineCounter,
): SourceDocument {
  const toPosition = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const root = doc.contents;
  const start = toPosition(root?.range?.[0] ?? 0);
  return {
    file,
    index,
    value,
    start,
    locate(path) {
      let node: Node | null | undefined = root;
      let best = start;
      for (const segment of path) {
        if (isMap(node)) {
          const pair = node.items.find(
            (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
          );
          if (!pair) break;
          const key = pair.key as Node;
          if (key.range) best = toPosition(key.range[0]);
          node = pair.value as Node | null;
        } else if (isSeq(node) && typeof segment === 'number') {
          const item = node.items[segment] as Node | undefined;
          if (!item) break;
          if (item.range) best = toPosition(item.range[0]);
          node = item;
        } else {
          break;
        }
      }
      return best;
    },
  };
}
