// Route, virtual host and route-configuration header edits (`*_headers_to_add` / `*_headers_to_remove`)
// compiled to one function per level, applied in Envoy's order.
import {
  HeaderValueOption_HeaderAppendAction as AppendAction,
  type HeaderValueOption,
} from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import { appendValue, type HeaderMap } from '../headers.ts';
import type { CompileResult } from './string-matcher.ts';

export type HeaderMutation = (headers: HeaderMap) => void;

interface Addition {
  readonly name: string;
  readonly value: string;
  readonly action: 'append' | 'add-if-absent' | 'overwrite' | 'overwrite-if-exists';
  readonly keepEmpty: boolean;
}

const PROTECTED = new Set([':method', ':path', ':scheme', ':authority', 'host', ':status']);

/**
 * Values are literal, with Envoy's `%%` escape for a percent sign; Envoy's other `%VAR%` formatters are not
 * expanded (an unknown formatter is kept as written).
 */
function literal(value: string): string {
  return value.replaceAll('%%', '%');
}

function addition(option: HeaderValueOption): CompileResult<Addition> {
  const name = option.header?.key.toLowerCase() ?? '';
  if (name === '') return { error: 'header to add has no key' };
  if (PROTECTED.has(name)) return { error: `header ${name} cannot be modified` };
  const raw = option.header?.rawValue;
  const value = literal(raw && raw.length > 0 ? new TextDecoder().decode(raw) : (option.header?.value ?? ''));
  if (/[\0\r\n]/.test(value)) return { error: `header ${name} value contains NUL, CR or LF` };
  let action: Addition['action'];
  if (option.append !== undefined) action = option.append ? 'append' : 'overwrite';
  else {
    switch (option.appendAction) {
      case AppendAction.APPEND_IF_EXISTS_OR_ADD:
        action = 'append';
        break;
      case AppendAction.ADD_IF_ABSENT:
        action = 'add-if-absent';
        break;
      case AppendAction.OVERWRITE_IF_EXISTS_OR_ADD:
        action = 'overwrite';
        break;
      case AppendAction.OVERWRITE_IF_EXISTS:
        action = 'overwrite-if-exists';
        break;
      default:
        return { error: `header ${name}: unknown append_action ${option.appendAction}` };
    }
  }
  return { value: { name, value, action, keepEmpty: option.keepEmptyValue } };
}

/** Undefined when the level edits nothing. Removals happen before additions. */
export function compileHeaderMutation(
  add: readonly HeaderValueOption[],
  remove: readonly string[],
): CompileResult<HeaderMutation | undefined> {
  const additions: Addition[] = [];
  for (const option of add) {
    const compiled = addition(option);
    if ('error' in compiled) return compiled;
    additions.push(compiled.value);
  }
  const removals = remove.map((name) => name.toLowerCase());
  for (const name of removals) if (PROTECTED.has(name)) return { error: `header ${name} cannot be removed` };
  if (additions.length === 0 && removals.length === 0) return { value: undefined };
  return {
    value: (headers) => {
      for (const name of removals) delete headers[name];
      for (const a of additions) {
        if (a.value === '' && !a.keepEmpty) continue;
        const present = headers[a.name] !== undefined;
        switch (a.action) {
          case 'append':
            appendValue(headers, a.name, a.value);
            break;
          case 'add-if-absent':
            if (!present) headers[a.name] = a.value;
            break;
          case 'overwrite':
            headers[a.name] = a.value;
            break;
          case 'overwrite-if-exists':
            if (present) headers[a.name] = a.value;
            break;
        }
      }
    },
  };
}

/** Levels ordered most specific first; Envoy applies the least specific last so it wins, unless told otherwise. */
export function chainMutations(
  mostSpecificFirst: readonly (HeaderMutation | undefined)[],
  mostSpecificWins: boolean,
): HeaderMutation | undefined {
  const levels = mostSpecificFirst.filter((m): m is HeaderMutation => m !== undefined);
  if (levels.length === 0) return undefined;
  const ordered = mostSpecificWins ? levels.reverse() : levels;
  if (ordered.length === 1) return ordered[0];
  return (headers) => {
    for (const mutate of ordered) mutate(headers);
  };
}
