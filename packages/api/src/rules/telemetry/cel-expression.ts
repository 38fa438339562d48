// A dependency-free well-formedness check for CEL expressions (access-log filters, tag override values):
// non-empty, closed strings, balanced brackets and no single "=". It is a first line, not a CEL parser.

const CLOSING: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

/** Index just past the string literal that starts at `start`, or -1 when it is never closed. */
function skipString(text: string, start: number): number {
  let i = start;
  let raw = false;
  // Prefixes: r/R for raw strings (no escapes), b/B for bytes, in either order.
  while (/[rRbB]/.test(text[i] ?? '') && i < start + 2) {
    if (/[rR]/.test(text[i] ?? '')) raw = true;
    i += 1;
  }
  const quote = text[i] ?? '';
  const triple = text.startsWith(quote.repeat(3), i);
  const close = triple ? quote.repeat(3) : quote;
  i += close.length;
  while (i < text.length) {
    if (!raw && text[i] === '\\') {
      i += 2;
      continue;
    }
    if (text.startsWith(close, i)) return i + close.length;
    if (!triple && text[i] === '\n') return -1;
    i += 1;
  }
  return -1;
}

function startsString(text: string, i: number): boolean {
  const char = text[i] ?? '';
  if (char === '"' || char === "'") return true;
  // A prefix only counts when it does not continue an identifier (e.g. `attr'` is not a raw string).
  if (!/[rRbB]/.test(char) || /[A-Za-z0-9_.]/.test(text[i - 1] ?? '')) return false;
  const next = text[i + 1] ?? '';
  if (next === '"' || next === "'") return true;
  return /[rRbB]/.test(next) && next.toLowerCase() !== char.toLowerCase() && /["']/.test(text[i + 2] ?? '');
}

/** Returns why `expression` cannot be a CEL expression, or undefined when it is well formed as far as we check. */
export function celExpressionProblem(expression: string): string | undefined {
  if (expression.trim() === '')
    return 'the expression is empty; write a condition such as "response.code >= 400"';
  const open: Array<{ char: string; at: number }> = [];
  let i = 0;
  while (i < expression.length) {
    const char = expression[i] ?? '';
    if (startsString(expression, i)) {
      const end = skipString(expression, i);
      if (end < 0) return `the string starting at character ${i + 1} is never closed`;
      i = end;
      continue;
    }
    if (char === '(' || char === '[' || char === '{') {
      open.push({ char, at: i });
    } else if (char in CLOSING) {
      const last = open.pop();
      if (!last) return `"${char}" at character ${i + 1} closes nothing`;
      if (last.char !== CLOSING[char]) {
        return `"${char}" at character ${i + 1} does not match "${last.char}" at character ${last.at + 1}`;
      }
    } else if (char === '=' && !/[=!<>]/.test(expression[i - 1] ?? '') && expression[i + 1] !== '=') {
      return `CEL compares with "==", not "=" (character ${i + 1})`;
    }
    i += 1;
  }
  const unclosed = open.pop();
  return unclosed ? `"${unclosed.char}" at character ${unclosed.at + 1} is never closed` : undefined;
}
