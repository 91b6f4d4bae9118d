/**
 * The allowlist: every node of a parsed expression is checked against the
 * node types, operators, functions, symbols and properties eval expressions
 * may use, and rebuilt into a tree that calls only the sandbox's own guarded
 * functions. Anything else (assignments, function definitions, object
 * literals, property access, `import`, `config`, `evaluate`, unit symbols,
 * implicit multiplication...) is refused with a message that says what is
 * allowed. Nothing of the parsed tree reaches mathjs's compiler unchecked.
 *
 * The same walk infers whether a numeric result is an integer or a float in
 * Python's terms.
 *
 * @module
 */
import type { MathJsInstance, MathNode } from 'mathjs';
import { CHAINS, COMPARE_CHAIN } from './compiler.js';
import { expressionFault, limitFault } from './errors.js';
import { FLOAT_FUNCTIONS, FUNCTION_NAMES, INT_FUNCTIONS } from './function-names.js';
import { OPERATOR_FUNCTIONS } from './operators.js';
import type { NumericLiteral } from './python-syntax.js';

/** Python's view of a value's type, as far as it can be known before evaluation. */
export type ValueKind = 'int' | 'float' | 'bool' | 'str' | 'any';

/** Constants an expression may name. */
export const CONSTANTS: Readonly<Record<string, { value: unknown; kind: ValueKind }>> = {
  pi: { value: Math.PI, kind: 'float' },
  e: { value: Math.E, kind: 'float' },
  True: { value: true, kind: 'bool' },
  False: { value: false, kind: 'bool' },
  None: { value: null, kind: 'any' },
};

/** Properties an expression may read (`x.magnitude`, `x.shape`...). */
export const PROPERTIES: readonly string[] = ['magnitude', 'm', 'units', 'shape', 'size', 'ndim', 'T'];
/** Methods an expression may call (`x.to("cm")`, `x.sum()`...). */
export const METHODS: readonly string[] = ['to', 'sum', 'mean', 'min', 'max'];

/** What the walk may bind besides builtins. */
export interface AllowlistScope {
  /** Symbols bound per evaluation (reference placeholders). */
  readonly inputs: ReadonlySet<string>;
  /** Evaluator symbols: name → whether it is a function. */
  readonly external: ReadonlyMap<string, 'value' | 'function'>;
  /** The prefix under which external symbols are put in the scope. */
  readonly externalPrefix: string;
}

/** The checked, rebuilt tree and what the walk learned. */
export interface CheckedTree {
  /** A tree calling only sandbox functions. */
  readonly node: MathNode;
  /** The inferred kind of the result. */
  readonly kind: ValueKind;
  /** External symbols the expression uses. */
  readonly externalUsed: ReadonlySet<string>;
  /** Inputs the expression uses. */
  readonly inputsUsed: ReadonlySet<string>;
}

type AnyNode = MathNode & Record<string, any>;
interface Walked {
  node: MathNode;
  kind: ValueKind;
}

const FUNCTION_SET = new Set(FUNCTION_NAMES);
const PRESERVING = new Set(['abs', 'sum', 'max', 'min', 'round', 'array', 'list', 'pow']);

function numericCombine(a: ValueKind, b: ValueKind): ValueKind {
  const na = a === 'bool' ? 'int' : a;
  const nb = b === 'bool' ? 'int' : b;
  if (na === 'float' || nb === 'float') return na === 'str' || nb === 'str' ? 'any' : 'float';
  if (na === 'int' && nb === 'int') return 'int';
  return 'any';
}

function sameKind(kinds: ValueKind[]): ValueKind {
  if (kinds.length === 0) return 'any';
  let k = kinds[0]!;
  for (const x of kinds.slice(1)) k = x === k ? k : numericCombine(k, x);
  return k;
}

const BOOLEAN_OPERATORS = new Set([
  'tk_eq',
  'tk_ne',
  'tk_lt',
  'tk_gt',
  'tk_le',
  'tk_ge',
  'tk_and',
  'tk_or',
  'tk_xor',
]);

/** Python's kind of the result of operator `fn` on operands of the given kinds. */
function operatorKind(fn: string, args: readonly Walked[]): ValueKind {
  if (fn === 'tk_div') return 'float';
  if (args.length === 1) return fn === 'tk_not' ? 'bool' : args[0]!.kind;
  const [a, b] = [args[0]!.kind, args[1]!.kind];
  if (BOOLEAN_OPERATORS.has(fn)) return 'bool';
  if (fn === 'tk_add' && a === 'str' && b === 'str') return 'str';
  if (fn === 'tk_mul' && (a === 'str' || b === 'str')) {
    // Python's text repetition: the count must be an int (a float such as 2.0 is a TypeError)
    const count = a === 'str' ? b : a;
    if (count === 'float') expressionFault('a text can only be repeated a whole number of times ("ab"*3)');
    return count === 'int' || count === 'bool' ? 'str' : 'any';
  }
  return numericCombine(a, b);
}

/** Checks `root` against the allowlist and rebuilds it. Throws an expression or limit fault. */
export function checkTree(
  math: MathJsInstance,
  root: MathNode,
  scope: AllowlistScope,
  literals: readonly NumericLiteral[],
  limits: { maxDepth: number; maxNodes: number },
): CheckedTree {
  const M = math as unknown as Record<string, new (...args: any[]) => MathNode>;
  let nodes = 0;
  let literalIndex = 0;
  const externalUsed = new Set<string>();
  const inputsUsed = new Set<string>();
  const op = (fn: string, args: MathNode[]): MathNode => new M.OperatorNode!('', fn, args);
  const constant = (v: unknown): MathNode => new M.ConstantNode!(v);

  const walk = (n: AnyNode, depth: number): Walked => {
    if (++nodes > limits.maxNodes) limitFault(`the expression has more than ${limits.maxNodes} parts`);
    if (depth > limits.maxDepth) limitFault(`the expression is nested more than ${limits.maxDepth} deep`);
    const d = depth + 1;
    switch (n.type) {
      case 'ConstantNode': {
        const v = n.value as unknown;
        if (typeof v === 'number') {
          const lit = literals[literalIndex];
          let kind: ValueKind = Number.isInteger(v) ? 'int' : 'float';
          if (lit !== undefined && (lit.value === v || (Number.isNaN(v) && Number.isNaN(lit.value)))) {
            literalIndex++;
            kind = lit.isFloat ? 'float' : 'int';
          }
          return { node: constant(v), kind };
        }
        if (typeof v === 'string') return { node: constant(v), kind: 'str' };
        if (typeof v === 'boolean') return { node: constant(v), kind: 'bool' };
        return expressionFault(`the constant ${String(v)} is not allowed`);
      }
      case 'ParenthesisNode':
        return walk(n.content, d);
      case 'SymbolNode':
        return symbol(n.name as string);
      case 'OperatorNode':
        return operator(n, d);
      case 'FunctionNode':
        return call(n, d);
      case 'ArrayNode': {
        // built by the sandbox, which counts its elements and refuses ragged literals
        const items = (n.items as AnyNode[]).map((x) => walk(x, d));
        return {
          node: op(
            'tk_array',
            items.map((x) => x.node),
          ),
          kind: sameKind(items.map((x) => x.kind)),
        };
      }
      case 'ConditionalNode': {
        const c = walk(n.condition, d);
        const t = walk(n.trueExpr, d);
        const f = walk(n.falseExpr, d);
        return { node: new M.ConditionalNode!(c.node, t.node, f.node), kind: sameKind([t.kind, f.kind]) };
      }
      case 'RelationalNode': {
        // `a < b <= c`: one node, each operand evaluated once (compiler.ts)
        const params = (n.params as AnyNode[]).map((x) => walk(x, d));
        const fns = (n.conditionals as string[]).map((name) =>
          Object.hasOwn(OPERATOR_FUNCTIONS, name)
            ? OPERATOR_FUNCTIONS[name]!
            : expressionFault(`the comparison ${name} is not allowed`),
        );
        return { node: op(COMPARE_CHAIN, [constant(fns), ...params.map((p) => p.node)]), kind: 'bool' };
      }
      case 'AccessorNode':
        return accessor(n, d);
      case 'AssignmentNode':
        return expressionFault(
          'assignments are not allowed (use substitutions before the expression: "a=2;b=3;a*b")',
        );
      case 'FunctionAssignmentNode':
        return expressionFault('function definitions are not allowed');
      case 'BlockNode':
        return expressionFault('several statements are not allowed; write a single expression');
      case 'ObjectNode':
        return expressionFault('object literals are not allowed (references are written {scheme:name})');
      case 'RangeNode':
        return expressionFault('ranges "a:b" are only allowed inside indexes (a[1:3]); use arange(a, b)');
      default:
        return expressionFault(`${String(n.type)} is not allowed`);
    }
  };

  const symbol = (name: string): Walked => {
    const ext = scope.external.get(name);
    if (ext === 'value') {
      externalUsed.add(name);
      return { node: new M.SymbolNode!(scope.externalPrefix + name), kind: 'any' };
    }
    if (scope.inputs.has(name)) {
      inputsUsed.add(name);
      return { node: new M.SymbolNode!(name), kind: 'any' };
    }
    const c = Object.hasOwn(CONSTANTS, name) ? CONSTANTS[name] : undefined;
    if (c !== undefined) return { node: constant(c.value), kind: c.kind };
    if (FUNCTION_SET.has(name) || ext === 'function') {
      return expressionFault(`the function ${name} must be called, e.g. ${name}(x)`);
    }
    return expressionFault(
      `unknown symbol "${name}"; allowed are the constants ${Object.keys(CONSTANTS).join(', ')}, references {scheme:name}, substitutions and the evaluator's symbols`,
    );
  };

  /** The sandbox function of an operator node; refuses what is not allowed. */
  const operatorFunction = (n: AnyNode): string => {
    if (n.implicit === true) expressionFault('implicit multiplication is not allowed; write * explicitly');
    if (n.isPercentage === true) expressionFault('percent literals ("50%") are not allowed; write 50/100');
    const fn = Object.hasOwn(OPERATOR_FUNCTIONS, n.fn as string)
      ? OPERATOR_FUNCTIONS[n.fn as string]
      : undefined;
    if (fn === undefined) {
      return expressionFault(
        `the operator "${String(n.op)}" is not allowed; allowed are + - * / // % ** == != < > <= >= and or not xor & | ~ << >> and a if c else b`,
      );
    }
    return fn;
  };

  /**
   * An operator. A chain of binary operators of one precedence level written
   * without brackets (`a+b-c`, `a*b*c`, `a**b**c`) is walked as one level of
   * nesting, its links found by a loop (a flat sum of 1,000 terms is not
   * 1,000 levels deep); its operands are walked in source order (the literal
   * table follows it).
   */
  const operator = (n: AnyNode, d: number): Walked => {
    const fn = operatorFunction(n);
    const args = n.args as AnyNode[];
    const chain = CHAINS[fn];
    if (chain === undefined || args.length !== 2) {
      const walked = args.map((x) => walk(x, d));
      return {
        node: op(
          fn,
          walked.map((a) => a.node),
        ),
        kind: operatorKind(fn, walked),
      };
    }
    const spine = chain === 'power' ? 1 : 0;
    const links: { node: AnyNode; fn: string }[] = [{ node: n, fn }];
    for (;;) {
      const next = links[links.length - 1]!.node.args[spine] as AnyNode;
      if (next.type !== 'OperatorNode' || (next.args as unknown[]).length !== 2) break;
      const nextFn = operatorFunction(next);
      if (CHAINS[nextFn] !== chain) break;
      if (++nodes > limits.maxNodes) limitFault(`the expression has more than ${limits.maxNodes} parts`);
      links.push({ node: next, fn: nextFn });
    }
    const link = (k: number, left: Walked, right: Walked): Walked => ({
      node: op(links[k]!.fn, [left.node, right.node]),
      kind: operatorKind(links[k]!.fn, [left, right]),
    });
    const last = links.length - 1;
    if (spine === 0) {
      // ((x0 op x1) op x2) ...: x0 is the innermost link's left operand
      let acc = walk(links[last]!.node.args[0], d);
      for (let k = last; k >= 0; k--) acc = link(k, acc, walk(links[k]!.node.args[1], d));
      return acc;
    }
    // x0 ** (x1 ** (x2 ...)): the left operands from the outermost link, then the innermost's right one
    const lefts = links.map((l) => walk(l.node.args[0], d));
    let acc = walk(links[last]!.node.args[1], d);
    for (let k = last; k >= 0; k--) acc = link(k, lefts[k]!, acc);
    return acc;
  };

  const call = (n: AnyNode, d: number): Walked => {
    const target = n.fn as AnyNode;
    if (target.type === 'AccessorNode' && target.index?.dotNotation === true) {
      const method = target.index.dimensions[0].value as string;
      if (!METHODS.includes(method)) {
        return expressionFault(
          `the method .${method}() is not allowed; allowed methods are ${METHODS.map((x) => `.${x}()`).join(', ')}`,
        );
      }
      const obj = walk(target.object, d);
      const args = (n.args as AnyNode[]).map((x) => walk(x, d));
      const kind = method === 'to' || method === 'mean' ? 'float' : obj.kind;
      return { node: op(`tk_method_${method}`, [obj.node, ...args.map((a) => a.node)]), kind };
    }
    if (target.type !== 'SymbolNode')
      return expressionFault('only named functions can be called, e.g. sin(x)');
    const name = target.name as string;
    const args = (n.args as AnyNode[]).map((x) => walk(x, d));
    if (scope.external.get(name) === 'function') {
      externalUsed.add(name);
      return {
        node: new M.FunctionNode!(
          new M.SymbolNode!(scope.externalPrefix + name),
          args.map((a) => a.node),
        ),
        kind: 'any',
      };
    }
    if (!FUNCTION_SET.has(name)) {
      return expressionFault(
        `unknown function "${name}"; allowed functions are ${FUNCTION_NAMES.join(', ')}`,
      );
    }
    let kind: ValueKind = 'any';
    if (FLOAT_FUNCTIONS.has(name)) kind = 'float';
    else if (INT_FUNCTIONS.has(name)) kind = 'int';
    else if (name === 'arange') kind = sameKind(args.map((a) => a.kind)) === 'int' ? 'int' : 'float';
    else if (PRESERVING.has(name))
      kind =
        name === 'pow'
          ? numericCombine(args[0]?.kind ?? 'any', args[1]?.kind ?? 'any')
          : (args[0]?.kind ?? 'any');
    else if (name === 'str') kind = 'str';
    else if (name === 'bool') kind = 'bool';
    else if (name === 'Q' || name === 'Quantity') kind = quantityKind(n.args as AnyNode[], args);
    return {
      node: op(
        `tk_fn_${name}`,
        args.map((a) => a.node),
      ),
      kind,
    };
  };

  const accessor = (n: AnyNode, d: number): Walked => {
    const index = n.index as AnyNode;
    const obj = walk(n.object, d);
    if (index.dotNotation === true) {
      const prop = index.dimensions[0].value as string;
      if (!PROPERTIES.includes(prop)) {
        return expressionFault(
          `the property .${prop} is not allowed; allowed properties are ${PROPERTIES.map((x) => `.${x}`).join(', ')}`,
        );
      }
      const kind =
        prop === 'magnitude' || prop === 'm' || prop === 'T' ? obj.kind : prop === 'units' ? 'str' : 'int';
      return { node: op('tk_prop', [obj.node, constant(prop)]), kind };
    }
    const specs = (index.dimensions as AnyNode[]).map((dim) => {
      if (dim.type !== 'RangeNode') {
        if (dim.type === 'ConstantNode' && typeof dim.value === 'string') {
          expressionFault(`indexing with a text (${JSON.stringify(dim.value)}) is not allowed`);
        }
        return walk(dim, d).node;
      }
      // mathjs reads a:b:c as start:step:end; Python means start:stop:step.
      const start = walk(dim.start, d).node;
      const stop = dim.step ? walk(dim.step, d).node : walk(dim.end, d).node;
      const step = dim.step ? walk(dim.end, d).node : constant(null);
      return op('tk_slice', [start, stop, step]);
    });
    return { node: op('tk_index', [obj.node, ...specs]), kind: obj.kind };
  };

  const result = walk(root as AnyNode, 0);
  return { node: result.node, kind: result.kind, externalUsed, inputsUsed };
}

function quantityKind(raw: AnyNode[], args: Walked[]): ValueKind {
  const first = raw[0];
  if (first?.type === 'ConstantNode' && typeof first.value === 'string') {
    const m = /^\s*[-+]?(\d*\.?\d*(?:[eE][-+]?\d+)?)/.exec(first.value as string);
    return m !== null && /[.eE]/.test(m[1] ?? '') ? 'float' : 'int';
  }
  return args[0]?.kind ?? 'any';
}
