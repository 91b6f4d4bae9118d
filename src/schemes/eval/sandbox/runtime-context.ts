/**
 * What the sandbox's runtime functions share: the private mathjs instance,
 * the unit bridge, the random source and the limits.
 *
 * @module
 */
import type { MathJsInstance } from 'mathjs';
import type { SandboxLimits } from './limits.js';
import type { Meter } from './meter.js';
import type { RandomSource } from './random.js';
import type { UnitBridge } from './unit-bridge.js';

/** Shared state of the runtime functions of one sandbox. */
export interface RuntimeContext {
  /** The private mathjs instance. */
  readonly math: MathJsInstance;
  /** Unit conversion between mathjs and tk-core. */
  readonly bridge: UnitBridge;
  /** Uniform random numbers in `[0, 1)`. */
  readonly random: RandomSource;
  /** The bounds. */
  readonly limits: SandboxLimits;
  /** The time budget of the running evaluation: loops over elements report their work to it. */
  readonly meter: Meter;
}

/** A function callable from a compiled expression. */
export type RuntimeFunction = (...args: any[]) => unknown;

/** Whether `v` is a mathjs Unit. */
export function isUnit(v: unknown): v is import('mathjs').Unit {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Unit' && 'units' in v;
}

/** A short description of a value's kind for error messages. */
export function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return 'array';
  if (isUnit(v)) return 'quantity';
  return typeof v;
}
