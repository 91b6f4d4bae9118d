/**
 * A 1-D array of quantities in one unit, packed: one mathjs Unit (the
 * prototype of every element, as in unit-arrays.ts) and the elements'
 * values as plain numbers. It is what the sandbox's operators pass between
 * them for arrays of quantities, so that `x + y`, `x * 2`, `sum(x)` or
 * `x.to("km")` on a million quantities cost what they cost on numbers: one
 * loop over numbers, the unit computed once. Every function that does not
 * know it receives the same array as mathjs Units, one per element
 * (packed-ops.ts unpacks it at the call), so results never depend on
 * whether an array was packed.
 *
 * The value of element `i` is `data[i] * scale`: mathjs's normalized value
 * (what `Unit.value` holds, the value in SI base units without offset).
 * Arrays read from inputs keep their magnitudes as given and the unit's
 * factor as `scale` (no copy); results of operations hold the values
 * themselves (`scale` 1).
 *
 * @module
 */
import type { Unit } from 'mathjs';

/** A packed 1-D array of quantities in one unit (see the module). */
export class PackedUnits {
  /**
   * @param proto the unit of every element (its `value` is not read)
   * @param data the elements' values divided by `scale`; never modified
   * @param scale the factor from `data` to mathjs's normalized values
   */
  constructor(
    readonly proto: Unit,
    readonly data: readonly number[],
    readonly scale: number,
  ) {}

  /** The number of elements. */
  get length(): number {
    return this.data.length;
  }

  /** The normalized value of element `i`. */
  valueAt(i: number): number {
    return this.data[i]! * this.scale;
  }
}

/** Whether `v` is a packed array of quantities. */
export function isPacked(v: unknown): v is PackedUnits {
  return v instanceof PackedUnits;
}
