// Validates meshConfig written as YAML text (the `mesh` key of the istio ConfigMap). Findings keep the
// field path (`data.mesh.defaultConfig.concurrency`) and the line of the `mesh:` key, and the message
// names the line inside the mesh text: a RuleContext can only point at fields of the outer document.
import { LineCounter, parseDocument } from 'yaml';
import { INSTALL_CODES } from '../findings/codes.ts';
import type { Level } from '../findings/finding.ts';
import type { FieldPath } from '../source/field-path.ts';
import { createSourceDocument } from '../source/source-document.ts';
import type { RuleContext } from '../validate/rule-context.ts';
import { checkMeshConfig } from './validate-mesh-config.ts';

/** Parses the text and validates it; returns the decoded meshConfig, or undefined when it is not YAML. */
export function checkMeshConfigText(ctx: RuleContext, text: string, path: FieldPath): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const line = lineCounter.linePos(error.pos[0]).line;
    const detail = error.message.split('\n')[0] ?? error.message;
    ctx.error(
      INSTALL_CODES.MESH_YAML_INVALID,
      path,
      `the mesh text is not valid YAML (mesh line ${line}: ${detail})`,
    );
    return undefined;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (caught) {
    const detail = caught instanceof Error ? caught.message : String(caught);
    ctx.error(INSTALL_CODES.MESH_YAML_INVALID, path, `the mesh text could not be read (${detail})`);
    return undefined;
  }
  if (value === null || value === undefined) return {};
  const inner = createSourceDocument('mesh', 0, doc, value, lineCounter);
  checkMeshConfig(
    withInnerLines(ctx, path, (rest) => inner.locate(rest).line),
    value,
    path,
  );
  return value;
}

/** A context that adds "(mesh line N)" to every message reported below `path`. */
function withInnerLines(ctx: RuleContext, path: FieldPath, lineOf: (rest: FieldPath) => number): RuleContext {
  const report = (level: Level, code: string, at: FieldPath, message: string): void => {
    const line = lineOf(at.slice(path.length));
    ctx.report(level, code, at, `${message} (mesh line ${line})`);
  };
  return {
    resource: ctx.resource,
    object: ctx.object,
    namespace: ctx.namespace,
    report,
    error: (code, at, message) => report('Error', code, at, message),
    warn: (code, at, message) => report('Warning', code, at, message),
    info: (code, at, message) => report('Info', code, at, message),
  };
}
