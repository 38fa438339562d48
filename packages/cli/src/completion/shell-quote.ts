// Single-quoting for the generated completion scripts (bash, zsh and fish all read '…' literally).

export function singleQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** fish does not end a single-quoted string at backslash-quote; it escapes quotes and backslashes instead. */
export function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
