/**
 * Direct evaluation of the simplest checked trees: operators, constants and
 * inputs only. Closures evaluate the tree as mathjs's compiled code does
 * (arguments left to right, then the namespace's guarded operator function),
 * reading each input at its position in the input values instead of from a
 * scope map: the re-evaluation hot path of eval attributes. Any other node
 * leaves the tree to mathjs's compiled code.
 *
 * @module
 */
import type { MathNode } from 'mathjs';

/** Evaluates a checked tree on input values by position. */
export type Direct = (values: readonly unknown[]) => unknown;

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
  const n = node as unknown as {
    type: string;
    value?: unknown;
    name?: string;
    fn?: unknown;
    args?: MathNode[];
  };
  switch (n.type) {
    case 'ConstantNode': {
      const value = n.value;
      return () => value;
    }
    case 'SymbolNode': {
      const at = slots.get(n.name!);
      if (at === undefined || at < 0) return undefined;
      return (values) => values[at];
    }
    case 'OperatorNode': {
      const name = n.fn;
      if (typeof name !== 'string' || !name.startsWith('tk_') || !Object.hasOwn(ns, name)) return undefined;
      const fn = (ns as Record<string, unknown>)[name] as ((...args: unknown[]) => unknown) & {
        rawArgs?: boolean;
      };
      if (typeof fn !== 'function' || fn.rawArgs === true) return undefined;
      const args: Direct[] = [];
      for (const arg of n.args ?? []) {
        const c = compileDirect(arg, ns, slots);
        if (c === undefined) return undefined;
        args.push(c);
      }
      if (args.length === 1) {
        const a = args[0]!;
        return (values) => fn(a(values));
      }
      if (args.length === 2) {
        const a = args[0]!;
        const b = args[1]!;
        return (values) => fn(a(values), b(values));
      }
      return (values) => fn(...args.map((a) => a(values)));
    }
    default:
      return undefined;
  }
}
