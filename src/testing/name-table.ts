/**
 * A table runner for names in the spirit of Taurus's `@valid`, `@invalid` and
 * `@names` test decorators: one test per row.
 *
 * @module
 */
import { InvalidNameError } from '../errors/tk-error.js';
import type { NameValidator, UriPart } from '../validators/name-validator.js';
import type { TestApi } from './test-api.js';

/** A row: a valid name and what it must give. */
export interface ValidNameCase {
  /** The name. */
  readonly name: string;
  /** Valid. */
  readonly valid: true;
  /** Validate in strict mode (default false, as Taurus). */
  readonly strict?: boolean;
  /** Groups that must have these values (others are not checked). */
  readonly groups?: Readonly<Record<string, string | undefined>>;
  /** Expected `[full, normal, simple]` names. */
  readonly names?: readonly [string, string, string];
  /** Expected fragment. */
  readonly fragment?: string;
}

/** A row: an invalid name, and optionally the part that must be blamed. */
export interface InvalidNameCase {
  /** The name. */
  readonly name: string;
  /** Invalid. */
  readonly valid: false;
  /** Validate in strict mode (default false). */
  readonly strict?: boolean;
  /** The part the error must name. */
  readonly part?: UriPart;
}

/** One row of a name table. */
export type NameCase = ValidNameCase | InvalidNameCase;

/** Runs a table of name cases against a validator, one test per row. */
export function runNameTable(
  api: TestApi,
  validator: NameValidator,
  cases: readonly NameCase[],
  title?: string,
): void {
  const { describe, it, expect } = api;
  describe(title ?? `${validator.elementType} names of ${validator.scheme}`, () => {
    for (const c of cases) {
      const label = `${c.valid ? 'valid' : 'invalid'}${c.strict ? ' (strict)' : ''}: ${JSON.stringify(c.name)}`;
      it(label, () => {
        const strict = c.strict ?? false;
        expect(validator.isValid(c.name, { strict })).toBe(c.valid);
        if (c.valid) {
          const groups = validator.getUriGroups(c.name, { strict });
          expect(groups).not.toBeNull();
          for (const [k, v] of Object.entries(c.groups ?? {})) expect(groups?.[k]).toBe(v);
          const names = validator.getNames(c.name);
          expect(names).not.toBeNull();
          if (c.names !== undefined) {
            expect([names?.fullName, names?.normalName, names?.simpleName]).toEqual([...c.names]);
          }
          if (c.fragment !== undefined) expect(names?.fragment).toBe(c.fragment);
        } else {
          expect(validator.getUriGroups(c.name, { strict })).toBeNull();
          let err: unknown;
          try {
            validator.validate(c.name, { strict });
          } catch (e) {
            err = e;
          }
          expect(err instanceof InvalidNameError).toBe(true);
          expect((err as InvalidNameError).message).toContain(JSON.stringify(c.name).slice(0, 60));
          if (c.part !== undefined) expect((err as InvalidNameError).details.part).toBe(c.part);
        }
      });
    }
  });
}
