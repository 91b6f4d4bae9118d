/**
 * How operators treat quantities beyond what mathjs does by itself: an
 * operation on incompatible units fails with a message naming both units
 * (`cannot add "m" and "s"`), not mathjs's "Units do not match".
 *
 * @module
 */
import { expressionFault } from './errors.js';
import { isUnit, kindOf, type RuntimeContext } from './runtime-context.js';

/** mathjs's messages for operands whose units (or kinds) do not fit together. */
const MISMATCH = /Units do not match|Cannot compare units|Unexpected type of argument/;

/** The first leaf of a (nested) array, or the value itself. */
function firstLeaf(x: unknown): unknown {
  let v = x;
  while (Array.isArray(v) && v.length > 0) v = v[0];
  return v;
}

/** Unit-aware helpers of one sandbox's operators. */
export interface UnitOperations {
  /**
   * Runs `op` (a mathjs operation on `a` and `b`); when it fails because the
   * units do not fit, fails instead with an expression fault naming both
   * operands' units and the operation (`verb`: "add", "compare"...).
   */
  guard<T>(verb: string, a: unknown, b: unknown, op: () => T): T;
  /** `"m"`, `a dimensionless quantity`, `a plain number`... (for messages). */
  describe(x: unknown): string;
}

/** Builds the unit helpers of one sandbox. */
export function createUnitOperations(ctx: RuntimeContext): UnitOperations {
  const describe = (x: unknown): string => {
    const leaf = firstLeaf(x);
    if (isUnit(leaf)) {
      const units = ctx.bridge.jsqUnits(leaf);
      return units === '' ? 'a dimensionless quantity' : JSON.stringify(units);
    }
    const kind = kindOf(leaf);
    return kind === 'number' || kind === 'boolean' ? 'a plain number' : `a ${kind}`;
  };
  return {
    describe,
    guard<T>(verb: string, a: unknown, b: unknown, op: () => T): T {
      try {
        return op();
      } catch (err) {
        if (
          err instanceof Error &&
          MISMATCH.test(err.message) &&
          (isUnit(firstLeaf(a)) || isUnit(firstLeaf(b)))
        ) {
          return expressionFault(`cannot ${verb} ${describe(a)} and ${describe(b)}: incompatible units`);
        }
        throw err;
      }
    },
  };
}
