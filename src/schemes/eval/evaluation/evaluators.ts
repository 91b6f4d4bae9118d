/**
 * Evaluator devices: JavaScript objects (or classes, instantiated once per
 * manager) registered under a name and addressed as `eval:@name/expr`. Their
 * public members become symbols of the expression: methods are functions,
 * other properties and getters are values read at each evaluation, and a
 * property with a setter (or a writable data property) makes an attribute
 * whose whole expression is that name writable (Taurus's
 * `eval:@c=mymod.MyClass()/c.foo`, without importing modules named in URIs).
 *
 * @module
 */

import { describeValue } from '../../../errors/quote.js';
import { TkError, WriteError } from '../../../errors/tk-error.js';
import type { AttributeConfig } from '../../contract.js';
import type { ExternalSymbol } from '../sandbox/index.js';

/** An evaluator: an object whose members become symbols, or a class to instantiate once per manager. */
export type EvaluatorDefinition = object | (new () => object);

/**
 * An optional method of an evaluator supplying metadata (range, alarms,
 * warnings, units, description...) for an attribute of its expression.
 */
export const ATTRIBUTE_CONFIG = 'attributeConfig';

/** An evaluator instance with its symbols. */
export interface EvaluatorInstance {
  /** Registered name, without `@`. */
  readonly name: string;
  /** Symbols exposed to expressions. */
  readonly symbols: ReadonlyMap<string, ExternalSymbol>;
  /** Writes `value` to the symbol `name`; undefined when it is not writable. */
  writer(name: string): ((value: unknown) => void) | undefined;
  /** Metadata the evaluator supplies for `expression`, if any. */
  config(expression: string): Partial<AttributeConfig> | undefined;
}

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks an evaluator name for registration. */
export function checkEvaluatorName(name: string): string {
  const n = name.startsWith('@') ? name.slice(1) : name;
  if (!VALID_NAME.test(n) || n === 'DefaultEvaluator') {
    throw new TkError(
      'CONFIG',
      `Invalid evaluator name ${JSON.stringify(name)}: expected an identifier (letters, digits, _) other than DefaultEvaluator`,
      { details: { name } },
    );
  }
  return n;
}

function isClass(def: EvaluatorDefinition): def is new () => object {
  return typeof def === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(def));
}

/** Builds the instance of an evaluator definition (a class is instantiated here). */
export function instantiateEvaluator(name: string, def: EvaluatorDefinition): EvaluatorInstance {
  const target: object = isClass(def) ? new def() : def;
  const symbols = new Map<string, ExternalSymbol>();
  const writers = new Map<string, (value: unknown) => void>();
  const seen = new Set<string>();
  for (
    let proto: object | null = target;
    proto !== null && proto !== Object.prototype && proto !== Function.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (seen.has(key) || key === 'constructor' || key.startsWith('_') || key === ATTRIBUTE_CONFIG) continue;
      if (!VALID_NAME.test(key)) continue;
      seen.add(key);
      const desc = Object.getOwnPropertyDescriptor(proto, key)!;
      if (desc.get !== undefined || desc.set !== undefined) {
        if (desc.get !== undefined)
          symbols.set(key, { kind: 'value', get: () => (target as Record<string, unknown>)[key] });
        if (desc.set !== undefined)
          writers.set(key, (v) => void ((target as Record<string, unknown>)[key] = v));
      } else if (typeof desc.value === 'function') {
        const fn = desc.value as (...args: unknown[]) => unknown;
        symbols.set(key, { kind: 'function', call: (...args) => fn.apply(target, args) });
      } else {
        symbols.set(key, { kind: 'value', get: () => (target as Record<string, unknown>)[key] });
        if (desc.writable === true && proto === target) {
          writers.set(key, (v) => void ((target as Record<string, unknown>)[key] = v));
        }
      }
    }
  }
  const configFn = (target as Record<string, unknown>)[ATTRIBUTE_CONFIG];
  return {
    name,
    symbols,
    writer: (key) => {
      const write = writers.get(key);
      if (write === undefined) return undefined;
      // the value comes converted and checked by the core (a Quantity in the attribute's units for
      // numbers); what the evaluator's own setter throws is a refused write naming it
      return (value) => {
        try {
          write(value);
        } catch (err) {
          if (err instanceof TkError) throw err;
          throw new WriteError(
            'WRITE_REJECTED',
            `The evaluator @${name} refused ${key} = ${describeValue(value)}: ${err instanceof Error ? err.message : describeValue(err)}`,
            { cause: err, details: { evaluator: name, member: key } },
          );
        }
      };
    },
    config: (expression) =>
      typeof configFn === 'function'
        ? ((configFn as (e: string) => Partial<AttributeConfig> | undefined).call(target, expression) ??
          undefined)
        : undefined,
  };
}
