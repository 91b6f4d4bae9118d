/**
 * The slice of a test framework the kit uses. vitest, Jest and Mocha+chai
 * (with an `expect` adapter) all fit; the kit never imports one.
 *
 * @module
 */

/** Assertions the kit makes. */
export interface KitAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toBeTruthy(): void;
  toBeFalsy(): void;
  toBeDefined(): void;
  toBeUndefined(): void;
  toBeNull(): void;
  toContain(item: unknown): void;
  toMatch(re: RegExp | string): void;
  toBeLessThan(n: number): void;
  toBeGreaterThan(n: number): void;
  toThrow(expected?: RegExp | string): void;
  readonly not: Omit<KitAssertion, 'not'>;
}

/** `describe`, `it` and `expect` of the framework in use. */
export interface TestApi {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: () => unknown, timeout?: number): void;
  expect(actual: unknown): KitAssertion;
}
