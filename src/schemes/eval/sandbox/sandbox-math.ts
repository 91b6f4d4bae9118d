/**
 * The mathjs instance of one sandbox: private, with a fixed unit system,
 * the unit bridge between tk-core and mathjs units, the sandbox's guarded
 * runtime functions (operators, accessors, the function table, the packed
 * operations) installed, and the namespace functions an expression must
 * never reach replaced by refusals.
 *
 * @module
 */
import { all, create, type MathJsInstance, type MathNode } from 'mathjs';
import { createAccessors } from './access.js';
import type { SandboxLimits } from './limits.js';
import type { Meter } from './meter.js';
import { createFunctions } from './numpy.js';
import { createOperators } from './operators.js';
import { installPackedOps } from './packed-ops.js';
import type { RuntimeContext, RuntimeFunction } from './runtime-context.js';
import type { SandboxOptions } from './sandbox.js';
import { probeOf } from './test-hooks.js';
import { UnitBridge } from './unit-bridge.js';

/**
 * Namespace functions replaced by refusals (defence in depth: the allowlist
 * never lets an expression name them). `config` and `typed` stay: mathjs's
 * own compiled nodes read them.
 */
const DISABLED = [
  'import',
  'createUnit',
  'reviver',
  'replacer',
  'evaluate',
  'parse',
  'parser',
  'compile',
  'simplify',
  'simplifyConstant',
  'simplifyCore',
  'derivative',
  'resolve',
  'rationalize',
  'help',
  'symbolicEqual',
  'leafCount',
] as const;

/** The mathjs instance of one sandbox, its unit bridge and its guarded runtime functions by name. */
export interface SandboxMath {
  /** The private mathjs instance. */
  readonly math: MathJsInstance;
  /** mathjs's parser, taken before the namespace's `parse` was replaced by a refusal. */
  readonly parse: (expression: string) => MathNode;
  /** The bridge between tk-core quantities and mathjs units. */
  readonly bridge: UnitBridge;
  /** The guarded functions compiled code calls (`tk_add`, `tk_fn_sin`...). */
  readonly runtime: Record<string, RuntimeFunction>;
}

/** Creates the mathjs instance of a sandbox with these options, bounds and meter. */
export function createSandboxMath(options: SandboxOptions, limits: SandboxLimits, meter: Meter): SandboxMath {
  const math = create(all!, { matrix: 'Array', predictable: true, number: 'number' }) as MathJsInstance;
  // a fixed unit system: mathjs's default, "auto", is rewritten by every unit text it parses, and
  // its own simplification (formatting) would then depend on what was evaluated before
  (math as unknown as { Unit: { setUnitSystem(name: string): void } }).Unit.setUnitSystem('si');
  // taken before the namespace's parse is replaced by a refusal (DISABLED)
  const parse = math.parse.bind(math);
  const bridge = new UnitBridge(math, {
    total: limits.maxCustomUnits,
    perExpression: limits.maxCustomUnitsPerExpression,
  });
  bridge.meter = meter;
  const ctx: RuntimeContext = { math, bridge, random: options.random ?? Math.random, limits, meter };
  const functions = createFunctions(ctx);
  const runtime: Record<string, RuntimeFunction> = {
    ...createOperators(ctx),
    ...createAccessors(ctx, functions),
  };
  for (const [name, fn] of Object.entries(functions)) runtime[`tk_fn_${name}`] = fn;
  installPackedOps(runtime, ctx);
  const probe = probeOf(options);
  if (probe !== undefined) {
    for (const [name, fn] of Object.entries(runtime)) {
      runtime[name] = (...args: unknown[]) => {
        const r = fn(...args);
        probe(name, r);
        return r;
      };
    }
  }
  math.import(runtime, { override: true });
  const refuse = (name: string) => () => {
    throw new Error(`${name} is disabled in the eval sandbox`);
  };
  math.import(Object.fromEntries(DISABLED.map((n) => [n, refuse(n)])), { override: true });
  return { math, parse, bridge, runtime };
}
