/**
 * Results of the sandbox as tk-core values: numbers and numeric arrays become
 * {@link Quantity} objects (dimensionless without units), mathjs units become
 * Quantities in tk-core's unit spelling, booleans, texts and arrays of them
 * stay as they are, and anything else (functions, complex numbers, objects)
 * is an error.
 *
 * @module
 */
import { type Magnitude, Quantity } from '../../../units/quantity.js';
import { Slice } from './access.js';
import { expressionFault } from './errors.js';
import { isPacked } from './packed.js';
import { packedMagnitudes, unpack } from './packed-ops.js';
import { isUnit } from './runtime-context.js';
import { homogeneousMagnitudes, unitLeaf } from './unit-arrays.js';
import type { UnitBridge } from './unit-bridge.js';

function leafKind(v: unknown): string {
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (isUnit(v)) return 'unit';
  if (v === null) return 'None';
  if (v instanceof Slice) return 'slice';
  if (typeof v === 'function') return 'function';
  const t = (v as { type?: unknown } | undefined)?.type;
  return typeof t === 'string' ? t : typeof v;
}

function collectLeafKinds(v: unknown, into: Set<string>, shape: number[], depth: number): void {
  if (Array.isArray(v)) {
    if (shape[depth] === undefined) shape[depth] = v.length;
    else if (shape[depth] !== v.length)
      expressionFault('the result is a ragged array (rows of different lengths)');
    for (const x of v) collectLeafKinds(x, into, shape, depth + 1);
    if (v.length === 0 && shape.length > depth + 1) expressionFault('the result is a ragged array');
  } else {
    if (depth !== shape.length) expressionFault('the result is a ragged array (mixed depths)');
    into.add(leafKind(v));
  }
}

/** Converts a mathjs result into a tk-core value. Throws an expression fault for unsupported results. */
export function toTkValue(v: unknown, bridge: UnitBridge): unknown {
  switch (typeof v) {
    case 'number':
      return new Quantity(v, '');
    case 'boolean':
    case 'string':
      return v;
    default:
      break;
  }
  if (v === null || v === undefined) return null;
  if (isUnit(v)) return bridge.toQuantity(v);
  if (isPacked(v)) {
    // one unit, values as numbers (packed.ts): converted once for the array
    const simple = bridge.simplify(unitLeaf(v.proto, v.valueAt(0)));
    const meter = bridge.meter;
    const fast = meter === undefined ? undefined : packedMagnitudes(v, simple.formatUnits(), meter);
    if (fast !== undefined) return new Quantity(fast, bridge.tkUnits(simple));
    return toTkValue(unpack(v, meter!), bridge);
  }
  if (
    typeof (v as { toArray?: unknown }).toArray === 'function' &&
    (v as { type?: unknown }).type !== 'Unit'
  ) {
    const t = (v as { type?: string }).type;
    if (t === 'DenseMatrix' || t === 'SparseMatrix')
      return toTkValue((v as { toArray(): unknown }).toArray(), bridge);
  }
  if (Array.isArray(v)) {
    const kinds = new Set<string>();
    collectLeafKinds(v, kinds, [], 0);
    if (kinds.size === 0 || (kinds.size === 1 && kinds.has('number')))
      return new Quantity(v as Magnitude, '');
    if (kinds.size === 1 && kinds.has('unit')) {
      {
        // elements in one unit (unit-arrays.ts): converted with numbers
        let first: unknown = v;
        while (Array.isArray(first)) first = first[0];
        const simple = bridge.simplify(first as import('mathjs').Unit);
        const fast = homogeneousMagnitudes(v, simple.formatUnits());
        if (fast !== undefined) return new Quantity(fast as Magnitude, bridge.tkUnits(simple));
      }
      let units: string | undefined;
      let tk = '';
      const mag = mapArray(v, (u) => {
        const unit = u as import('mathjs').Unit;
        if (units === undefined) {
          // the first element's units, simplified as a scalar's are (the same whatever ran before)
          const simple = bridge.simplify(unit);
          units = simple.formatUnits();
          tk = bridge.tkUnits(simple);
        }
        return units === '' ? (bridge.simplify(unit).value as number) : (unit.toNumeric(units) as number);
      });
      return new Quantity(mag as Magnitude, tk);
    }
    if (kinds.size === 1 && (kinds.has('boolean') || kinds.has('string'))) return v;
    return expressionFault(`the result mixes ${[...kinds].join(', ')} in one array`);
  }
  return expressionFault(`the result is a ${leafKind(v)}, which an attribute cannot hold`);
}

function mapArray(v: unknown, f: (x: unknown) => unknown): unknown {
  return Array.isArray(v) ? v.map((x) => mapArray(x, f)) : f(v);
}
