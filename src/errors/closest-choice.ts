/**
 * "Did you mean" hints for messages that refuse a name among known choices
 * (an option, a scheme, a fragment).
 *
 * @module
 */

/**
 * The closest of `choices` to `input` when `input` is a likely misspelling of
 * it (an edit distance of at most a third of its length, case ignored), else
 * undefined.
 *
 * @example
 * ```ts
 * closestChoice('urll', ['url', 'store']); // 'url'
 * closestChoice('bogus', ['url', 'store']); // undefined
 * ```
 */
export function closestChoice(input: string, choices: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const a = input.toLowerCase();
  if (a.length > 64) return undefined;
  for (const choice of choices) {
    const d = editDistance(a, choice.toLowerCase());
    if (d < bestDistance) {
      best = choice;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
