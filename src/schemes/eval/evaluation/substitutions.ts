/**
 * Taurus's substitutions: `a=2;b=3;a*b` replaces each key, as a whole word
 * outside quoted text and outside references, by its value, textually and in
 * order, before the expression is evaluated (`a=1+1;a*2` is `1+1*2`, 3, as
 * in Taurus).
 *
 * @module
 */

const QUOTED = /("[^"\n]*"|'[^'\n]*')/g;

/** Applies `substitutions` to `expression` the way Taurus's `expandExpr` does. */
export function expandSubstitutions(
  expression: string,
  substitutions: ReadonlyArray<readonly [string, string]>,
): string {
  if (substitutions.length === 0) return expression;
  const protectedTexts: string[] = [];
  let text = expression.replace(QUOTED, (q) => {
    protectedTexts.push(q);
    return `\u0000${protectedTexts.length - 1}\u0000`;
  });
  for (const [key, value] of substitutions) {
    if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(key)) continue;
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])${key}(?![\\p{L}\\p{N}_])(?![^{]*\\})`, 'gu');
    text = text.replace(pattern, () => value);
  }
  return text.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => protectedTexts[Number(i)]!);
}
