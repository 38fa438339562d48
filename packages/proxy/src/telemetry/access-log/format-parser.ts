// Envoy's access-log format language, parsed once per config: literal text and `%NAME(argument):length%`
// command operators (the proxy reads only xDS, so it carries its own parser).

export interface FormatLiteral {
  readonly kind: 'literal';
  readonly text: string;
}

export interface FormatCommand {
  readonly kind: 'command';
  readonly name: string;
  readonly argument?: string;
  readonly maxLength?: number;
}

export type FormatPart = FormatLiteral | FormatCommand;

const COMMAND = /^%([A-Z0-9_]+)(?:\(([^)]*)\))?(?::(\d+))?%/;

export function parseFormat(text: string): FormatPart[] | { readonly error: string } {
  const parts: FormatPart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const percent = text.indexOf('%', i);
    if (percent < 0) {
      literal += text.slice(i);
      break;
    }
    literal += text.slice(i, percent);
    const match = COMMAND.exec(text.slice(percent));
    if (!match) {
      // `%%` is not an escape in Envoy's language either; a lone `%` opens nothing.
      return {
        error: `a "%" at offset ${percent} does not start a command operator such as %RESPONSE_CODE%`,
      };
    }
    if (literal !== '') parts.push({ kind: 'literal', text: literal });
    literal = '';
    const [whole, name = '', argument, length] = match;
    parts.push({
      kind: 'command',
      name,
      ...(argument !== undefined ? { argument } : {}),
      ...(length !== undefined ? { maxLength: Number(length) } : {}),
    });
    i = percent + whole.length;
  }
  if (literal !== '') parts.push({ kind: 'literal', text: literal });
  return parts;
}
