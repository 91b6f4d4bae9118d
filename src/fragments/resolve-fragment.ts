/**
 * Resolution of a fragment path against an attribute's view.
 *
 * @module
 */
import type { FragmentGetter, FragmentView } from '../core/fragment-view.js';
import { Quantity } from '../units/quantity.js';
import { FragmentError, type FragmentStep, parseFragmentPath, sliceArray } from './fragment-path.js';
import { STANDARD_FRAGMENTS } from './standard-fragments.js';

/** A parsed fragment, ready to apply: the table entry plus the remaining safe steps. */
export interface CompiledFragment {
  /** The fragment text. */
  readonly fragment: string;
  /** The table key that matched (`rvalue.units`). */
  readonly key: string;
  /** Applies the fragment to a view. */
  apply(view: FragmentView): unknown;
}

const SAFE_PROPS: Readonly<Record<string, (v: unknown) => unknown>> = Object.assign(Object.create(null), {
  magnitude: (v: unknown) => (Quantity.isQuantity(v) ? v.magnitude : undefined),
  units: (v: unknown) => (Quantity.isQuantity(v) ? v.units : undefined),
  low: (v: unknown) => (Array.isArray(v) ? v[0] : undefined),
  high: (v: unknown) => (Array.isArray(v) ? v[1] : undefined),
  length: (v: unknown) =>
    Array.isArray(v)
      ? v.length
      : Quantity.isQuantity(v) && Array.isArray(v.magnitude)
        ? v.magnitude.length
        : undefined,
});

function applyStep(value: unknown, step: FragmentStep, fragment: string): unknown {
  if (value === undefined || value === null) return undefined;
  if (step.kind === 'prop') {
    const get = Object.hasOwn(SAFE_PROPS, step.name) ? SAFE_PROPS[step.name] : undefined;
    if (get === undefined) {
      throw new FragmentError(
        `Unknown step ".${step.name}" in fragment "#${fragment}": after a value, valid steps are ${Object.keys(
          SAFE_PROPS,
        )
          .map((k) => `.${k}`)
          .join(', ')}, [index] and [start:stop:step]`,
        { fragment, step: step.name },
      );
    }
    return get(value);
  }
  const index = (arr: readonly unknown[]) => {
    if (step.kind === 'index') return arr[step.index < 0 ? arr.length + step.index : step.index];
    return sliceArray(arr, step.start, step.stop, step.step);
  };
  if (Quantity.isQuantity(value)) {
    if (!Array.isArray(value.magnitude)) {
      throw new FragmentError(`Cannot index a scalar in fragment "#${fragment}"`, { fragment });
    }
    const r = index(value.magnitude);
    return r === undefined ? undefined : Quantity.of(r as never, value.units);
  }
  if (Array.isArray(value) || typeof value === 'string') {
    const arr = typeof value === 'string' ? [...value] : value;
    const r = index(arr);
    return typeof value === 'string' && Array.isArray(r) ? r.join('') : r;
  }
  throw new FragmentError(`Cannot index a ${typeof value} in fragment "#${fragment}"`, { fragment });
}

/**
 * Compiles `fragment` against the standard table plus `extra` (a scheme's
 * fragments). The longest dotted prefix found in the table wins; the rest
 * are safe steps. Throws a {@link FragmentError} listing the valid names.
 */
export function compileFragment(
  fragment: string,
  extra: Readonly<Record<string, FragmentGetter>> = {},
): CompiledFragment {
  const steps = parseFragmentPath(fragment);
  const lookup = (key: string): FragmentGetter | undefined =>
    Object.hasOwn(extra, key)
      ? extra[key]
      : Object.hasOwn(STANDARD_FRAGMENTS, key)
        ? STANDARD_FRAGMENTS[key as keyof typeof STANDARD_FRAGMENTS]
        : undefined;
  let props = 0;
  while (props < steps.length && steps[props]!.kind === 'prop') props++;
  for (let k = props; k >= 1; k--) {
    const key = steps
      .slice(0, k)
      .map((s) => (s as { name: string }).name)
      .join('.');
    const getter = lookup(key);
    if (getter === undefined) continue;
    const rest = steps.slice(k);
    return {
      fragment,
      key,
      apply(view) {
        let v = getter(view);
        for (const s of rest) v = applyStep(v, s, fragment);
        return v;
      },
    };
  }
  const names = [...new Set([...Object.keys(STANDARD_FRAGMENTS), ...Object.keys(extra)])].sort();
  throw new FragmentError(`Unknown fragment "#${fragment}": valid fragments are ${names.join(', ')}`, {
    fragment,
    valid: names,
  });
}
