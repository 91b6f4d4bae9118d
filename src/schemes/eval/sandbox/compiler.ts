/**
 * The compiler of checked trees: each node becomes a closure that evaluates
 * it on the input values, read by position (no scope map). Operands are
 * evaluated left to right before their operator is applied, as Python does
 * (and mathjs's own compiled code). Only the node kinds the allowlist
 * rebuilds exist here: constants, inputs and evaluator symbols, the
 * sandbox's guarded operator functions, calls of evaluator functions and
 * conditionals.
 *
 * Three things keep evaluation cheap and its stack shallow:
 * - a constant or an input operand is read in the operator's closure, not
 *   through a closure of its own, and for two numbers the arithmetic and
 *   comparison operators compute the result in place, as the guarded
 *   operator's own number path does (`operators.ts`); anything else (arrays,
 *   quantities, texts, a division by zero) calls the guarded operator. Once
 *   many expressions run, these closures share their code and calls between
 *   them are not inlined, so each call saved counts;
 * - a chain of operators of one precedence level written without brackets
 *   (`a+b-c+...`, `a*b/c*...`, `a**b**c`) longer than a few links is one
 *   closure that loops over its links, in the order the nested operators
 *   would run: a flat sum of thousands of terms needs no deeper stack than
 *   one of two;
 * - a chained comparison (`a < b <= c`) evaluates each operand once and stops
 *   at the first false comparison, as Python does.
 *
 * Operands that stay alive together are counted as they are evaluated, so
 * that no expression holds more than the element limit in one place: the
 * items of an array literal (`[zeros(n), zeros(n), ...]`) may hold at most
 * `maxElements` elements in all, the arguments of a call with more than two
 * (`max(a, b, c, ...)`, an evaluator function) and the operands of a power
 * chain at most twice that; the evaluation stops at the operand that goes
 * over, before the next one is built.
 *
 * @module
 */

import type { MathNode } from 'mathjs';
import { CONSTANT, type Code, INPUT, Operand, read, readCounted, SUBTREE } from './compiled-code.js';
import { expressionFault } from './errors.js';
import { apply, numberBinary, numberCode } from './number-operators.js';
import { isPacked } from './packed.js';
import type { RuntimeFunction } from './runtime-context.js';

/**
 * Operators that chain without brackets, by precedence level (`power` is
 * right-associative: `a**b**c` is `a**(b**c)`); the allowlist counts a chain
 * as one level of nesting.
 */
export const CHAINS: Readonly<Record<string, string>> = {
  tk_add: 'sum',
  tk_sub: 'sum',
  tk_mul: 'product',
  tk_div: 'product',
  tk_floordiv: 'product',
  tk_mod: 'product',
  tk_pow: 'power',
  tk_and: 'and',
  tk_or: 'or',
  tk_xor: 'xor',
  tk_bitand: 'bitand',
  tk_bitor: 'bitor',
  tk_lshift: 'shift',
  tk_rshift: 'shift',
};

/** The guarded function of a chained comparison: `(ops, a, b, c...)` for `a ops[0] b ops[1] c...`. */
export const COMPARE_CHAIN = 'tk_compare';

function binaryNode(fn: RuntimeFunction, code: number | undefined, a: Operand, b: Operand): Code {
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

function unaryNode(fn: RuntimeFunction, name: string, a: Operand): Code {
  if (name === 'tk_neg') {
    return (values) => {
      const x = read(a, values);
      return typeof x === 'number' ? -x : fn(x);
    };
  }
  return (values) => fn(read(a, values));
}

/** The truth of a condition, as mathjs's conditional tests it (arrays are refused). */
function truth(c: unknown): boolean {
  if (typeof c === 'number' || typeof c === 'boolean' || typeof c === 'string') return !!c;
  if (c === null || c === undefined) return false;
  const unit = c as { type?: unknown; value?: unknown };
  if (unit.type === 'Unit' && 'units' in unit) return !!unit.value;
  return expressionFault(
    `a condition must be a single value, not ${Array.isArray(c) || isPacked(c) ? 'an array' : typeof c}`,
  );
}

type TreeNode = MathNode & {
  type: string;
  value?: unknown;
  name?: string;
  fn?: unknown;
  args?: TreeNode[];
  condition?: TreeNode;
  trueExpr?: TreeNode;
  falseExpr?: TreeNode;
};

/** Chains shorter than this many links are compiled as nested binary closures (the common, fastest case). */
const SHORT_CHAIN = 4;

/** The name of the guarded function that builds an array literal. */
export const ARRAY_LITERAL = 'tk_array';

/** Compiles checked trees against one sandbox's runtime functions. */
class Compiler {
  constructor(
    readonly runtime: Readonly<Record<string, RuntimeFunction>>,
    readonly slots: ReadonlyMap<string, number>,
    readonly maxElements: number,
  ) {}

  /** The operand of a node: a constant, a slot, or a compiled subtree. */
  operand(n: TreeNode): Operand {
    if (n.type === 'ConstantNode') return new Operand(CONSTANT, n.value, 0, undefined);
    if (n.type === 'SymbolNode') return new Operand(INPUT, undefined, this.slot(n.name!), undefined);
    return new Operand(SUBTREE, undefined, 0, this.node(n));
  }

  slot(name: string): number {
    const at = this.slots.get(name);
    if (at === undefined) throw new Error(`the symbol ${name} has no slot`);
    return at;
  }

  fn(name: unknown): RuntimeFunction {
    const fn = typeof name === 'string' && Object.hasOwn(this.runtime, name) ? this.runtime[name] : undefined;
    if (fn === undefined) throw new Error(`${String(name)} is not a sandbox function`);
    return fn;
  }

  node(n: TreeNode): Code {
    switch (n.type) {
      case 'ConstantNode': {
        const v = n.value;
        return () => v;
      }
      case 'SymbolNode': {
        const at = this.slot(n.name!);
        return (values) => values[at];
      }
      case 'OperatorNode':
        return this.operator(n);
      case 'FunctionNode': {
        // an evaluator function: its wrapper is the value of its slot
        const at = this.slot((n.fn as unknown as TreeNode).name!);
        const args = (n.args ?? []).map((a) => this.operand(a));
        const max = 2 * this.maxElements;
        return (values) =>
          (values[at] as RuntimeFunction)(...readCounted(args, values, max, 'the arguments of a function'));
      }
      case 'ConditionalNode': {
        const c = this.operand(n.condition!);
        const t = this.operand(n.trueExpr!);
        const f = this.operand(n.falseExpr!);
        return (values) => (truth(read(c, values)) ? read(t, values) : read(f, values));
      }
      default:
        throw new Error(`${n.type} is not a node of a checked tree`);
    }
  }

  operator(n: TreeNode): Code {
    const name = n.fn as string;
    if (name === COMPARE_CHAIN) return this.comparison(n);
    const fn = this.fn(name);
    const args = n.args ?? [];
    const chain = CHAINS[name];
    if (chain !== undefined && args.length === 2) {
      const links = chainLinks(n, chain);
      if (links.length >= SHORT_CHAIN) {
        return chain === 'power' ? this.rightChain(links) : this.leftChain(links);
      }
    }
    const operands = args.map((a) => this.operand(a));
    if (name === ARRAY_LITERAL) {
      const max = this.maxElements;
      return (values) => fn(...readCounted(operands, values, max, 'an array literal'));
    }
    if (operands.length === 1) return unaryNode(fn, name, operands[0]!);
    if (operands.length === 2) {
      const code = numberCode(name);
      return binaryNode(fn, code, operands[0]!, operands[1]!);
    }
    const max = 2 * this.maxElements;
    const what = `the arguments of ${name.replace(/^tk_(fn_|method_)?/, '')}()`;
    return (values) => fn(...readCounted(operands, values, max, what));
  }

  /** `((x0 op1 x1) op2 x2) ...`: `links` from the outermost operator to the innermost. */
  leftChain(links: readonly TreeNode[]): Code {
    const n = links.length;
    const head = this.operand(links[n - 1]!.args![0]!);
    const fns: RuntimeFunction[] = [];
    const codes: (number | undefined)[] = [];
    const rights: Operand[] = [];
    for (let k = n - 1; k >= 0; k--) {
      const name = links[k]!.fn as string;
      fns.push(this.fn(name));
      codes.push(numberCode(name));
      rights.push(this.operand(links[k]!.args![1]!));
    }
    return (values) => {
      let acc = read(head, values);
      for (let k = 0; k < n; k++) acc = apply(fns[k]!, codes[k], acc, read(rights[k]!, values));
      return acc;
    };
  }

  /** `x0 op1 (x1 op2 (x2 ...))`: operands evaluated left to right, then applied from the right. */
  rightChain(links: readonly TreeNode[]): Code {
    const n = links.length;
    const fns: RuntimeFunction[] = [];
    const codes: (number | undefined)[] = [];
    const operands: Operand[] = [];
    for (const link of links) {
      const name = link.fn as string;
      fns.push(this.fn(name));
      codes.push(numberCode(name));
      operands.push(this.operand(link.args![0]!));
    }
    operands.push(this.operand(links[n - 1]!.args![1]!));
    const max = 2 * this.maxElements;
    return (values) => {
      const xs = readCounted(operands, values, max, 'the operands of a power chain');
      let acc = xs[n];
      for (let k = n - 1; k >= 0; k--) acc = apply(fns[k]!, codes[k], xs[k], acc);
      return acc;
    };
  }

  /** `a < b <= c`: each operand evaluated once, left to right, stopping at the first false comparison. */
  comparison(n: TreeNode): Code {
    const [ops, ...params] = n.args ?? [];
    const names = (ops as TreeNode).value as string[];
    const fns = names.map((name) => this.fn(name));
    const codes = names.map((name) => numberCode(name));
    const operands = params.map((p) => this.operand(p));
    const and = this.fn('tk_and');
    return (values) => {
      let left = read(operands[0]!, values);
      let result: unknown = true;
      for (let k = 0; k < fns.length; k++) {
        const right = read(operands[k + 1]!, values);
        const r = apply(fns[k]!, codes[k], left, right);
        // scalars stop at the first false comparison (Python); arrays combine element-wise
        result = k === 0 ? r : and(result, r);
        if (result === false) return false;
        left = right;
      }
      return result;
    };
  }
}

/** The operators of a chain of level `chain` starting at `top`, from the outermost to the innermost. */
function chainLinks(top: TreeNode, chain: string): TreeNode[] {
  const links = [top];
  const spine = chain === 'power' ? 1 : 0;
  for (;;) {
    const next = links[links.length - 1]!.args![spine]!;
    if (next.type !== 'OperatorNode' || (next.args ?? []).length !== 2) break;
    if (CHAINS[next.fn as string] !== chain) break;
    links.push(next);
  }
  return links;
}

/**
 * Compiles a checked tree: `slots` gives the position of each input and
 * evaluator symbol in the values the returned code is called with;
 * `maxElements` bounds what operands alive together may hold (see above).
 */
export function compileTree(
  node: MathNode,
  runtime: Readonly<Record<string, RuntimeFunction>>,
  slots: ReadonlyMap<string, number>,
  maxElements: number,
): Code {
  const c = new Compiler(runtime, slots, maxElements);
  const n = node as TreeNode;
  if (n.type === 'OperatorNode') return c.operator(n);
  const leaf = n.type === 'ConstantNode' || n.type === 'SymbolNode' ? c.operand(n) : undefined;
  return leaf === undefined ? c.node(n) : (values) => read(leaf, values);
}
