/**
 * The slice of a test framework the kit uses. vitest, Jest and Mocha+chai
 * (with an `expect` adapter) all fit; the kit never imports one.
 *
 * @module
 */

/** Assertions the kit makes. */
export interface KitAssertion {
  /** Same value (`Object.is`). */
  toBe(expected: unknown): void;
  /** Deep equality. */
  toEqual(expected: unknown): void;
  /** Truthy. */
  toBeTruthy(): void;
  /** Falsy. */
  toBeFalsy(): void;
  /** Not undefined. */
  toBeDefined(): void;
  /** Undefined. */
  toBeUndefined(): void;
  /** Null. */
  toBeNull(): void;
  /** An array containing `item`, or a string containing it. */
  toContain(item: unknown): void;
  /** A string matching. */
  toMatch(re: RegExp | string): void;
  /** A number below `n`. */
  toBeLessThan(n: number): void;
  /** A number above `n`. */
  toBeGreaterThan(n: number): void;
  /** A function that throws. */
  toThrow(expected?: RegExp | string): void;
  /** The negated assertions. */
  readonly not: Omit<KitAssertion, 'not'>;
}

/** `describe`, `it` and `expect` of the framework in use. */
export interface TestApi {
  /** Groups tests. */
  describe(name: string, fn: () => void): void;
  /** Declares a test (sync or async). */
  it(name: string, fn: () => unknown, timeout?: number): void;
  /** Starts an assertion. */
  expect(actual: unknown): KitAssertion;
}
