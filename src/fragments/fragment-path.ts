/**
 * Fragment paths: `label`, `rvalue.units`, `rvalue[0:2]`, `range[1]`,
 * `wvalue.magnitude[3]`. Parsed by a linear scanner, never evaluated.
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';

/** A property step (`.units`) or an index/slice step (`[1]`, `[0:2]`, `[::2]`). */
export type FragmentStep =
  | {
      /** A property step. */
      readonly kind: 'prop';
      /** The property name. */
      readonly name: string;
    }
  | {
      /** An index step. */
      readonly kind: 'index';
      /** The index; negative counts from the end. */
      readonly index: number;
    }
  | {
      /** A Python-style slice step. */
      readonly kind: 'slice';
      /** First index (default: the start). */
      readonly start: number | undefined;
      /** Index to stop before (default: the end). */
      readonly stop: number | undefined;
      /** Stride (default 1; negative walks backwards). */
      readonly step: number | undefined;
    };

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const INT = /^-?\d+/;

/** Error for a fragment that does not parse or does not resolve. */
export class FragmentError extends TkError {
  constructor(message: string, details: Record<string, unknown>) {
    super('UNKNOWN_FRAGMENT', message, { details });
  }
}

/** Parses a fragment path; throws a {@link FragmentError} naming the fragment and the position. */
export function parseFragmentPath(fragment: string): FragmentStep[] {
  const steps: FragmentStep[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new FragmentError(
      `Invalid fragment "#${fragment}" at position ${i}: ${what}; expected a name such as "label", a dotted path such as "rvalue.units", or a slice such as "rvalue[0:2]"`,
      { fragment, position: i },
    );
  };
  const ident = () => {
    const m = IDENT.exec(fragment.slice(i, i + 256));
    if (m === null) fail('expected a name');
    steps.push({ kind: 'prop', name: m![0] });
    i += m![0].length;
  };
  const int = (): number | undefined => {
    const m = INT.exec(fragment.slice(i, i + 32));
    if (m === null) return undefined;
    i += m[0].length;
    return Number(m[0]);
  };
  if (fragment.length > 1024) fail('fragment longer than 1024 characters');
  ident();
  while (i < fragment.length) {
    const c = fragment[i];
    if (c === '.') {
      i++;
      ident();
    } else if (c === '[') {
      i++;
      const a = int();
      if (fragment[i] === ']') {
        if (a === undefined) fail('empty index');
        i++;
        steps.push({ kind: 'index', index: a! });
        continue;
      }
      if (fragment[i] !== ':') fail('expected ":" or "]"');
      i++;
      const b = int();
      let step: number | undefined;
      if (fragment[i] === ':') {
        i++;
        step = int();
        if (step === 0) fail('slice step cannot be zero');
      }
      if (fragment[i] !== ']') fail('expected "]"');
      i++;
      steps.push({ kind: 'slice', start: a, stop: b, step });
    } else {
      fail(`unexpected ${JSON.stringify(c)}`);
    }
  }
  return steps;
}

/** Python-style slicing of an array (negative indices count from the end). */
export function sliceArray<T>(arr: readonly T[], start?: number, stop?: number, step = 1): T[] {
  const n = arr.length;
  const norm = (v: number | undefined, dflt: number) => {
    if (v === undefined) return dflt;
    if (v < 0) return Math.max(step < 0 ? -1 : 0, n + v);
    return Math.min(v, step < 0 ? n - 1 : n);
  };
  const out: T[] = [];
  if (step > 0) {
    for (let i = norm(start, 0); i < norm(stop, n); i += step) out.push(arr[i]!);
  } else {
    for (let i = norm(start, n - 1); i > norm(stop, -1); i += step) out.push(arr[i]!);
  }
  return out;
}
