/**
 * Direct evaluation of the simplest checked trees: operators, constants and
 * inputs only. Closures evaluate the tree as mathjs's compiled code does
 * (arguments left to right, then the namespace's guarded operator function),
 * reading each input at its position in the input values instead of from a
 * scope map: the re-evaluation hot path of eval attributes. Any other node
 * leaves the tree to mathjs's compiled code.
 *
 * Two things keep the number of calls per evaluation low, which is what
 * decides the speed once an application runs many expressions (the closures
 * of all expressions share their code, so their calls to one another are
 * megamorphic and seldom inlined):
 * - a constant or an input operand is read in the operator's closure, not
 *   through a closure of its own;
 * - for two numbers, the arithmetic and comparison operators compute the
 *   result in place, as the guarded operator's own number path does
 *   (`operators.ts`); anything else (arrays, quantities, strings, a division
 *   by zero) calls the guarded operator. A property test evaluates random
 *   trees on both paths and requires the same values, types and errors.
 *
 * @module
 */
import type { MathNode } from 'mathjs';

/** Evaluates a checked tree on input values by position. */
export type Direct = (values: readonly unknown[]) => unknown;

type OperatorFunction = ((...args: unknown[]) => unknown) & { rawArgs?: boolean };

const CONSTANT = 0;
const INPUT = 1;
const SUBTREE = 2;

/** An operand of an operator: a constant, an input by position, or a subtree's closure. */
class Operand {
  constructor(
    readonly kind: typeof CONSTANT | typeof INPUT | typeof SUBTREE,
    readonly value: unknown,
    readonly at: number,
    readonly fn: Direct | undefined,
  ) {}
}

/** The operand's value (a small function with one target: inlined where it is called). */
function read(op: Operand, values: readonly unknown[]): unknown {
  return op.kind === CONSTANT ? op.value : op.kind === INPUT ? values[op.at] : op.fn!(values);
}

/** Operators computed in place for two numbers; codes of the switch below. */
const NUMBER_BINARY: Readonly<Record<string, number>> = {
  tk_add: 1,
  tk_sub: 2,
  tk_mul: 3,
  tk_div: 4,
  tk_floordiv: 5,
  tk_mod: 6,
  tk_pow: 7,
  tk_eq: 8,
  tk_ne: 9,
  tk_lt: 10,
  tk_gt: 11,
  tk_le: 12,
  tk_ge: 13,
};

/**
 * The result of binary operator `code` for two numbers, or `undefined` when
 * the guarded operator must decide (a division or modulo by zero, zero to a
 * negative power: it raises the error).
 */
function numberBinary(code: number, x: number, y: number): number | boolean | undefined {
  switch (code) {
    case 1:
      return x + y;
    case 2:
      return x - y;
    case 3:
      return x * y;
    case 4:
      return y === 0 ? undefined : x / y;
    case 5:
      return y === 0 ? undefined : Math.floor(x / y);
    case 6:
      return y === 0 ? undefined : x - y * Math.floor(x / y);
    case 7:
      return x === 0 && y < 0 ? undefined : x ** y;
    case 8:
      return x === y;
    case 9:
      return x !== y;
    case 10:
      return x < y;
    case 11:
      return x > y;
    case 12:
      return x <= y;
    case 13:
      return x >= y;
    default:
      return undefined;
  }
}

function binaryNode(fn: OperatorFunction, code: number | undefined, a: Operand, b: Operand): Direct {
  if (code === undefined) return (values) => fn(read(a, values), read(b, values));
  return (values) => {
    const x = read(a, values);
    const y = read(b, values);
    if (typeof x === 'number' && typeof y === 'number') {
      const r = numberBinary(code, x, y);
      if (r !== undefined) return r;
    }
    return fn(x, y);
  };
}

function unaryNode(fn: OperatorFunction, name: string, a: Operand): Direct {
  if (name === 'tk_neg') {
    return (values) => {
      const x = read(a, values);
      return typeof x === 'number' ? -x : fn(x);
    };
  }
  return (values) => fn(read(a, values));
}

type TreeNode = { type: string; value?: unknown; name?: string; fn?: unknown; args?: MathNode[] };

/** The operand of a constant or an input; undefined for other nodes (and unknown inputs). */
function leafOperand(n: TreeNode, slots: ReadonlyMap<string, number>): Operand | undefined {
  if (n.type === 'ConstantNode') return new Operand(CONSTANT, n.value, 0, undefined);
  if (n.type !== 'SymbolNode') return undefined;
  const at = slots.get(n.name!);
  return at === undefined || at < 0 ? undefined : new Operand(INPUT, undefined, at, undefined);
}

/** The closures of an operator node; undefined unless it is one of the sandbox's operators on direct operands. */
function operatorNode(n: TreeNode, ns: object, slots: ReadonlyMap<string, number>): Direct | undefined {
  const name = n.fn;
  if (typeof name !== 'string' || !name.startsWith('tk_') || !Object.hasOwn(ns, name)) return undefined;
  const fn = (ns as Record<string, unknown>)[name] as OperatorFunction;
  if (typeof fn !== 'function' || fn.rawArgs === true) return undefined;
  const operands: Operand[] = [];
  for (const arg of n.args ?? []) {
    const a = arg as unknown as TreeNode;
    let o = leafOperand(a, slots);
    if (o === undefined && a.type === 'OperatorNode') {
      const sub = operatorNode(a, ns, slots);
      if (sub !== undefined) o = new Operand(SUBTREE, undefined, 0, sub);
    }
    if (o === undefined) return undefined;
    operands.push(o);
  }
  if (operands.length === 1) return unaryNode(fn, name, operands[0]!);
  if (operands.length === 2) {
    const code = Object.hasOwn(NUMBER_BINARY, name) ? NUMBER_BINARY[name] : undefined;
    return binaryNode(fn, code, operands[0]!, operands[1]!);
  }
  return (values) => fn(...operands.map((o) => read(o, values)));
}

/**
 * Closures evaluating `node` as mathjs's compiled code does (arguments left to right, then the
 * operator function of the namespace), reading each input at its position in the values; undefined
 * when the tree holds anything but operators, constants and inputs (mathjs's code evaluates it).
 */
export function compileDirect(
  node: MathNode,
  ns: object,
  slots: ReadonlyMap<string, number>,
): Direct | undefined {
  const n = node as unknown as TreeNode;
  if (n.type === 'OperatorNode') return operatorNode(n, ns, slots);
  const leaf = leafOperand(n, slots);
  return leaf === undefined ? undefined : (values) => read(leaf, values);
}
