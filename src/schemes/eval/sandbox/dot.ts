/**
 * `dot(a, b)`: the matrix product, counted against `maxWork` (multiply-adds)
 * and its result against `maxElements` before it starts. Arrays of numbers are multiplied in the sandbox's own
 * loops, in mathjs's order of operations (each sum starts with the first
 * product and adds the next ones in turn), so the results are mathjs's, and
 * each row reports its work to the meter; anything else (quantities, shapes
 * mathjs refuses) goes to mathjs's `multiply`, with each multiply-add
 * counted as a slow one.
 *
 * @module
 */
import { checkElements, shapeOf, sizeOf } from './arrays.js';
import { limitFault } from './errors.js';
import { SLOW_LEAF } from './meter.js';
import type { RuntimeContext } from './runtime-context.js';

function allNumbers(v: unknown): boolean {
  if (typeof v === 'number') return true;
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!allNumbers(v[i])) return false;
  return true;
}

/** The product of two vectors (sizes checked by the caller). */
function vectorVector(a: number[], b: number[]): number {
  let c = a[0]! * b[0]!;
  for (let k = 1; k < a.length; k++) c += a[k]! * b[k]!;
  return c;
}

/** `dot(a, b)` for one sandbox. */
export function createDot(ctx: RuntimeContext): (a: unknown, b: unknown) => unknown {
  const { math: m, meter } = ctx;
  const maxWork = ctx.limits.maxWork;
  return (a, b) => {
    const sa = shapeOf(a);
    const sb = shapeOf(b);
    const work = sizeOf(sa) * (sb.length > 1 ? sb[sb.length - 1]! : 1);
    if (!(work <= maxWork)) {
      limitFault(
        `dot() of shapes [${sa}] and [${sb}] would take ${work} operations (the limit is ${maxWork})`,
      );
    }
    // the result has the shape of a without its last axis and of b without its first
    const resultShape = [...sa.slice(0, -1), ...sb.slice(1)];
    checkElements(
      sizeOf(resultShape),
      ctx.limits.maxElements,
      `the result of dot() of shapes [${sa}] and [${sb}]`,
    );
    const inner = sa[sa.length - 1];
    const fits = sa.length >= 1 && sa.length <= 2 && sb.length >= 1 && sb.length <= 2 && inner === sb[0];
    if (!fits || inner === 0 || !allNumbers(a) || !allNumbers(b)) {
      if (!(work * SLOW_LEAF <= maxWork)) {
        limitFault(
          `dot() of shapes [${sa}] and [${sb}] of values other than numbers would take ${work} slow operations (the limit is ${Math.floor(maxWork / SLOW_LEAF)})`,
        );
      }
      meter.tick(work * SLOW_LEAF);
      return m.multiply(a as never, b as never);
    }
    if (sa.length === 1 && sb.length === 1) {
      meter.tick(work);
      return vectorVector(a as number[], b as number[]);
    }
    if (sa.length === 2 && sb.length === 1) {
      const rows = a as number[][];
      const out = new Array<number>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        out[i] = vectorVector(rows[i]!, b as number[]);
        meter.tick(inner!);
      }
      return out;
    }
    const cols = sb[1]!;
    const bm = b as number[][];
    const rowTimes = (row: number[]): number[] => {
      const out = new Array<number>(cols);
      for (let j = 0; j < cols; j++) {
        let c = row[0]! * bm[0]![j]!;
        for (let k = 1; k < row.length; k++) c += row[k]! * bm[k]![j]!;
        out[j] = c;
      }
      meter.tick(row.length * cols);
      return out;
    };
    if (sa.length === 1) return rowTimes(a as number[]);
    return (a as number[][]).map(rowTimes);
  };
}
