/**
 * Checks of what a program hands the manager: its options, the options of
 * each scheme, and names. A mistake is an error at once, naming the input and
 * the valid choices: an option nobody reads, or a number where a name was
 * meant, is never silently ignored or turned into something else.
 *
 * @module
 */

import type { ElementType } from '../core/enums.js';
import { closestChoice } from '../errors/closest-choice.js';
import { describeValue, quoteInput } from '../errors/quote.js';
import { TkError } from '../errors/tk-error.js';
import type { SchemePlugin } from '../schemes/contract.js';
import type { Clock } from '../util/clock.js';
import type { ModelNames } from '../validators/name-validator.js';

/** The options `new Manager(options)` knows. */
export const MANAGER_OPTION_KEYS = [
  'schemes',
  'defaultScheme',
  'clock',
  'gcTime',
  'pollingPeriod',
  'schemeOptions',
  'strict',
  'freezeReadings',
] as const;

function unknownKey(what: string, key: string, known: readonly string[], details: Record<string, unknown>) {
  const near = closestChoice(key, known);
  return new TkError(
    'CONFIG',
    `Unknown ${what} ${quoteInput(key, 40)}${near === undefined ? '' : ` (did you mean "${near}"?)`}: the options are ${known.join(', ')}`,
    { details: { ...details, option: key, known: [...known] } },
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks the options of a manager: every key known (`extraFlags` adds the
 * boolean options of a wrapper, such as `createManager`'s `builtins`), every
 * value of the right kind. Throws a `CONFIG` {@link TkError} naming the option.
 */
export function checkManagerOptions(options: unknown, extraFlags: readonly string[] = []): void {
  if (options === undefined) return;
  if (!isPlainObject(options)) {
    throw new TkError(
      'CONFIG',
      `Manager options must be a plain object such as { gcTime: 0 }, not ${describeValue(options)}`,
    );
  }
  const known = [...extraFlags, ...MANAGER_OPTION_KEYS];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw unknownKey('manager option', key, known, {});
  }
  const o = options;
  const bad = (key: string, expected: string) =>
    new TkError(
      'CONFIG',
      `Invalid manager option ${key}: expected ${expected}, not ${describeValue(o[key])}`,
      { details: { option: key } },
    );
  const number = (key: string, min: number, exclusive: boolean) => {
    const v = o[key];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (exclusive && v === min)) {
      throw bad(key, `a finite number of milliseconds ${exclusive ? 'above' : 'from'} ${min}`);
    }
  };
  number('gcTime', 0, false);
  number('pollingPeriod', 0, true);
  for (const key of ['strict', 'freezeReadings', ...extraFlags]) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') throw bad(key, 'true or false');
  }
  if (o.defaultScheme !== undefined && typeof o.defaultScheme !== 'string') {
    throw bad('defaultScheme', 'a scheme name such as "eval"');
  }
  const clock = o.clock as Record<string, unknown> | undefined;
  if (
    clock !== undefined &&
    (typeof clock !== 'object' ||
      clock === null ||
      typeof clock.now !== 'function' ||
      typeof clock.setTimeout !== 'function')
  ) {
    throw bad('clock', 'a Clock ({ now(), setTimeout(fn, ms) }), such as createVirtualClock()');
  }
  if (o.schemes !== undefined) {
    if (!Array.isArray(o.schemes)) throw bad('schemes', 'an array of scheme plugins');
    for (const p of o.schemes as unknown[]) {
      const plugin = p as Partial<SchemePlugin> | null;
      if (
        typeof plugin !== 'object' ||
        plugin === null ||
        typeof plugin.scheme !== 'string' ||
        typeof plugin.createBackend !== 'function' ||
        (typeof plugin.validators !== 'object' && typeof plugin.validators !== 'function')
      ) {
        throw bad('schemes', 'an array of scheme plugins ({ scheme, validators, createBackend })');
      }
    }
  }
  if (o.schemeOptions !== undefined && !isPlainObject(o.schemeOptions)) {
    throw bad('schemeOptions', "an object of options per scheme, such as { 'cii.oldb': { url } }");
  }
}

/**
 * Checks `schemeOptions` against the registered plugins: each key names a
 * registered scheme (by its name, not an alias), and each scheme's options
 * are the ones its plugin declares ({@link SchemePlugin.options}), checked by
 * the plugin. Throws a `CONFIG` {@link TkError}.
 */
export function checkSchemeOptions(
  schemeOptions: Readonly<Record<string, unknown>> | undefined,
  pluginOf: (scheme: string) => SchemePlugin | undefined,
  registered: readonly string[],
): void {
  if (schemeOptions === undefined) return;
  for (const [scheme, options] of Object.entries(schemeOptions)) {
    const plugin = pluginOf(scheme);
    if (plugin === undefined || plugin.scheme !== scheme) {
      const near = plugin?.scheme ?? closestChoice(scheme, registered);
      throw new TkError(
        'CONFIG',
        `schemeOptions names the scheme ${quoteInput(scheme, 40)}, which is not registered in this manager${near === undefined ? '' : ` (did you mean "${near}"?)`}: registered schemes are ${registered.join(', ') || '(none)'}`,
        { details: { scheme, known: [...registered] } },
      );
    }
    if (!isPlainObject(options)) {
      throw new TkError(
        'CONFIG',
        `schemeOptions[${JSON.stringify(scheme)}] must be a plain object of options, not ${describeValue(options)}`,
        { details: { scheme } },
      );
    }
    const spec = plugin.options;
    const keys = spec?.keys ?? [];
    for (const key of Object.keys(options)) {
      if (!keys.includes(key)) {
        if (keys.length === 0) {
          throw new TkError(
            'CONFIG',
            `The ${scheme} scheme takes no options, and schemeOptions[${JSON.stringify(scheme)}] gives ${quoteInput(key, 40)}`,
            { details: { scheme, option: key, known: [] } },
          );
        }
        throw unknownKey(`${scheme} option`, key, keys, { scheme });
      }
    }
    spec?.check?.(options);
  }
}

/**
 * Throws a TypeError unless `name` is a string: `what` names the call and
 * its argument (`manager.attribute(name)`).
 */
export function assertName(name: unknown, what: string): asserts name is string {
  if (typeof name === 'string') return;
  throw new TypeError(
    `${what}: the name must be a string such as "eval:1" or "loc:/a/b", not ${kindOf(name)}`,
  );
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `an array ${describeValue(v, 40)}`;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return `the number ${describeValue(v)}`;
    case 'boolean':
      return `the boolean ${v}`;
    case 'function':
      return 'a function';
    case 'symbol':
      return `the symbol ${v.toString()}`;
    default:
      return `an object ${describeValue(v, 40)}`;
  }
}

/** Options of a manager. */
export interface ManagerOptions {
  /** Scheme plugins to register. */
  schemes?: readonly SchemePlugin[];
  /** Scheme assumed for names written without one (Taurus's DEFAULT_SCHEME); `eval` when registered. */
  defaultScheme?: string;
  /** Source of time and timers (a virtual clock in tests). */
  clock?: Clock;
  /** Grace period in ms before an unused model releases its backend resources (default 5000; 0: at once). */
  gcTime?: number;
  /** Default polling period in ms for poll-based schemes (default 3000, as Taurus). */
  pollingPeriod?: number;
  /** Options per scheme, given to its backend as `SchemeContext.options`. */
  schemeOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** When true, only strictly valid names are accepted (Taurus's STRICT_MODEL_NAMES). Default false. */
  strict?: boolean;
  /**
   * When true, every reading an attribute publishes is frozen, so that code
   * changing a reading (which all subscribers share) throws in strict mode.
   * Meant for an application's tests; default false, because freezing costs
   * about as much as the rest of building a reading. Readings are immutable
   * by their types either way.
   */
  freezeReadings?: boolean;
}

/** Names of a valid name plus the element type they were resolved as. */
export interface ResolvedNames extends ModelNames {
  /** The element type, the first valid one in Taurus's order (Attribute, Device, Authority). */
  readonly elementType: ElementType;
  /** The scheme. */
  readonly scheme: string;
}

/** Options of validation helpers. */
export interface ValidationOptions {
  /** Element types to accept (default: any). */
  types?: readonly ElementType[];
  /** Strict mode (default: the manager's). */
  strict?: boolean;
}
