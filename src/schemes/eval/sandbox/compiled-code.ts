/**
 * What compiled code is made of: {@link Code}, the closure a compiled tree
 * becomes, and the operands an operator's closure reads (a constant, an
 * input read by position, or a subtree's closure) without a closure of
 * their own, with the counted reading of operands that stay alive together.
 *
 * @module
 */
import { elementsOf } from './arrays.js';
import { limitFault } from './errors.js';

/** Evaluates a compiled tree on the values of its slots (inputs, then evaluator symbols). */
export type Code = (values: readonly unknown[]) => unknown;

/** An operand that is a constant. */
export const CONSTANT = 0;
/** An operand that is a slot (an input or an evaluator symbol), read by position. */
export const INPUT = 1;
/** An operand that is a compiled subtree. */
export const SUBTREE = 2;

/** An operand of an operator: a constant, a slot by position, or a subtree's closure. */
export class Operand {
  constructor(
    readonly kind: typeof CONSTANT | typeof INPUT | typeof SUBTREE,
    readonly value: unknown,
    readonly at: number,
    readonly fn: Code | undefined,
  ) {}
}

/** The operand's value (a small function with one target: inlined where it is called). */
export function read(op: Operand, values: readonly unknown[]): unknown {
  return op.kind === CONSTANT ? op.value : op.kind === INPUT ? values[op.at] : op.fn!(values);
}

/**
 * The values of `operands`, evaluated left to right, stopping with a limit
 * fault as soon as they hold more than `max` elements in all (`what` names
 * them in the message).
 */
export function readCounted(
  operands: readonly Operand[],
  values: readonly unknown[],
  max: number,
  what: string,
) {
  const out = new Array<unknown>(operands.length);
  let total = 0;
  for (let k = 0; k < operands.length; k++) {
    const x = read(operands[k]!, values);
    total += elementsOf(x);
    if (total > max) limitFault(`${what} would hold at least ${total} elements (the limit is ${max})`);
    out[k] = x;
  }
  return out;
}
