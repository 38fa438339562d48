// A pure parser for Envoy's access-log format language: literal text and `%OPERATOR(argument):length%`
// command operators. The parsed parts are what the proxy's access logger renders.
import { closestName } from '../rules/common/values.ts';
import { ACCESS_LOG_OPERATORS, GRPC_STATUS_FORMATS } from './access-log-operators.ts';

export interface AccessLogLiteral {
  readonly kind: 'literal';
  readonly text: string;
}

export interface AccessLogOperator {
  readonly kind: 'operator';
  /** Upper-case operator name, e.g. `REQ`, `START_TIME`, `RESPONSE_CODE`. */
  readonly name: string;
  /** Raw text between the parentheses, when there are any. */
  readonly argument?: string;
  /** For header operators (`REQ`, `RESP`, `TRAILER` …): the header read first, lower-cased. */
  readonly header?: string;
  /** For header operators: the header read when `header` is absent (`X?Y`), lower-cased. */
  readonly alternative?: string;
  /** `:Z` suffix: truncate the value to this many characters. */
  readonly maxLength?: number;
}

export type AccessLogPart = AccessLogLiteral | AccessLogOperator;

export interface AccessLogFormatParsed {
  readonly parts: readonly AccessLogPart[];
}

export interface AccessLogFormatError {
  readonly error: string;
  /** 0-based index in the text where the problem starts. */
  readonly offset: number;
}

const NAME_CHAR = /[A-Za-z0-9_]/;
const HEADER_NAME = /^:?[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

export function parseAccessLogFormat(text: string): AccessLogFormatParsed | AccessLogFormatError {
  const parts: AccessLogPart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? '';
    if (char !== '%') {
      literal += char;
      i++;
      continue;
    }
    const parsed = parseOperator(text, i);
    if ('error' in parsed) return parsed;
    if (literal !== '') parts.push({ kind: 'literal', text: literal });
    literal = '';
    parts.push(parsed.operator);
    i = parsed.end;
  }
  if (literal !== '') parts.push({ kind: 'literal', text: literal });
  return { parts };
}

interface ParsedOperator {
  readonly operator: AccessLogOperator;
  /** Index just after the closing `%`. */
  readonly end: number;
}

function parseOperator(text: string, start: number): ParsedOperator | AccessLogFormatError {
  let i = start + 1;
  while (i < text.length && NAME_CHAR.test(text[i] ?? '')) i++;
  const name = text.slice(start + 1, i);
  if (name === '') {
    return {
      error:
        'a "%" that does not start a command operator; every "%" must open an operator such as %RESPONSE_CODE%',
      offset: start,
    };
  }
  let argument: string | undefined;
  if (text[i] === '(') {
    const close = text.indexOf(')', i + 1);
    if (close < 0) return { error: `%${name}( has no closing ")"`, offset: start };
    argument = text.slice(i + 1, close);
    i = close + 1;
  }
  let maxLength: number | undefined;
  if (text[i] === ':') {
    const digits = /^\d+/.exec(text.slice(i + 1))?.[0];
    if (digits === undefined) {
      return { error: `%${name}: must be followed by a length such as :10 and a closing "%"`, offset: start };
    }
    maxLength = Number(digits);
    i += 1 + digits.length;
  }
  if (text[i] !== '%') {
    return {
      error: `%${name}${argument !== undefined ? `(${argument})` : ''} is not closed; command operators end with "%"`,
      offset: start,
    };
  }
  const problem = checkOperator(name, argument);
  if (problem) return { error: problem, offset: start };
  return { operator: buildOperator(name, argument, maxLength), end: i + 1 };
}

function checkOperator(name: string, argument: string | undefined): string | undefined {
  const accepts = ACCESS_LOG_OPERATORS.get(name);
  if (accepts === undefined) {
    if (ACCESS_LOG_OPERATORS.has(name.toUpperCase()))
      return `unknown command operator %${name}%; operator names are upper-case: %${name.toUpperCase()}%`;
    const suggestion = closestName(name, [...ACCESS_LOG_OPERATORS.keys()]);
    return `unknown command operator %${name}%${suggestion ? `; did you mean %${suggestion}%?` : ''}`;
  }
  switch (accepts) {
    case 'none':
      return argument === undefined ? undefined : `%${name}% takes no argument; remove "(${argument})"`;
    case 'optional':
      if (name === 'GRPC_STATUS' && argument !== undefined && !GRPC_STATUS_FORMATS.includes(argument))
        return `%GRPC_STATUS(${argument})% is not a known format; use ${GRPC_STATUS_FORMATS.join(', ')}`;
      return undefined;
    case 'required':
      return argument ? undefined : `%${name}% needs an argument in parentheses, e.g. %${name}(…)%`;
    case 'header':
      return checkHeaderArgument(name, argument);
  }
}

function checkHeaderArgument(name: string, argument: string | undefined): string | undefined {
  if (!argument) return `%${name}% needs a header name, e.g. %${name}(X-REQUEST-ID)%`;
  const names = argument.split('?');
  if (names.length > 2)
    return `%${name}(${argument})% names more than one alternative; use at most one "?", as in X?Y`;
  for (const header of names) {
    if (!HEADER_NAME.test(header)) return `%${name}(${argument})%: "${header}" is not a valid header name`;
  }
  return undefined;
}

function buildOperator(
  name: string,
  argument: string | undefined,
  maxLength: number | undefined,
): AccessLogOperator {
  const headerOperator = ACCESS_LOG_OPERATORS.get(name) === 'header' && argument !== undefined;
  const [header, alternative] = headerOperator ? argument.toLowerCase().split('?') : [];
  return {
    kind: 'operator',
    name,
    ...(argument !== undefined ? { argument } : {}),
    ...(header !== undefined ? { header } : {}),
    ...(alternative !== undefined ? { alternative } : {}),
    ...(maxLength !== undefined ? { maxLength } : {}),
  };
}
