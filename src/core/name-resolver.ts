/**
 * What a scheme's validators may ask of the manager they belong to.
 *
 * @module
 */
import type { ElementType } from '../validators/element-type.js';
import type { ModelNames, NameValidator } from '../validators/name-validator.js';

/**
 * What a scheme's validators may ask of the manager they belong to: schemes
 * whose names embed other names (eval's `{ref}`) validate and name those
 * through it.
 */
export interface NameResolver {
  /** Whether `name` is valid, for any registered scheme, optionally for some element types. */
  isValidName(name: string, options?: { types?: readonly ElementType[]; strict?: boolean }): boolean;
  /** The names of `name` for any registered scheme, or null when invalid. */
  getNames(name: string): ModelNames | null;
  /**
   * The scheme of `name` (written, or the default). Optional: with it and
   * {@link NameResolver.getValidator}, embedded names can be routed straight
   * to their scheme's validator (a manager provides both).
   */
  getSchemeFromName?(name: string): string | undefined;
  /** The validator of a scheme for an element type (undefined, or a throw, for an unknown scheme). Optional. */
  getValidator?(scheme: string, type: ElementType): NameValidator | undefined;
  /** Default strictness of validation. Optional (false when absent). */
  readonly strict?: boolean;
}
