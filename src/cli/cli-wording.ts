/**
 * Library errors in the words of the command line: a hint that names a
 * JavaScript call (`store.declare(path, { type })`, `ifExists: 'keep'`) is
 * replaced by the `tk` command or flag that does the same. Everything else in
 * the message stays as the library wrote it.
 *
 * @module
 */

/** JavaScript hints of library messages and their command-line equivalents. */
const HINTS: readonly (readonly [RegExp, string])[] = [
  [
    /(\S+) is not declared; declare it first \(store\.declare\(path, \{ type \}\) or a write with withDeclaration\(value\)\)/g,
    '$1 is not declared; declare it first: tk oldb declare $1 <type> (double, integer, boolean, string, ...)',
  ],
  [
    /\(pass ifExists: 'keep' or 'replace' to accept an existing datapoint of the same type\)/g,
    '(give --if-exists keep or --if-exists replace to accept an existing datapoint of the same type)',
  ],
];

/** `message` with every JavaScript hint replaced by its `tk` equivalent. */
export function cliWording(message: string): string {
  let m = message;
  for (const [pattern, replacement] of HINTS) m = m.replace(pattern, replacement);
  return m;
}
