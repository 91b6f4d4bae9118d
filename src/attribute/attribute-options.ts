/**
 * The options of an attribute's read and write (and the handle that holds a
 * model, defined with its lifetime).
 *
 * @module
 */
import type { Magnitude, Quantity } from '../units/quantity.js';
import type { WRITE_REQUEST } from './write-coercion.js';

/** Options of {@link AttributeModel.read}. */
export interface ReadOptions {
  /**
   * When true (the default), a reading that is kept up to date (the attribute
   * has subscribers) or younger than the polling period, and taken after the
   * manager's last write, is returned without asking the backend. False
   * always asks the backend.
   */
  cache?: boolean;
  /** Cancels the read. */
  signal?: AbortSignal;
}

/** Options of {@link AttributeModel.write}. */
export interface WriteOptions {
  /** Cancels the write. */
  signal?: AbortSignal;
}

export type { ModelHandle } from '../lifetime/lifetime.js';

/**
 * A scheme's own write request, such as cii.oldb's `withDeclaration(value)`:
 * the core hands it to the source unchanged.
 */
export interface WriteRequest {
  /** Marks the request (see `WRITE_REQUEST`). */
  readonly [WRITE_REQUEST]: true;
}

/**
 * What {@link AttributeModel.write} takes for an attribute whose values are
 * `T`, as the core converts it (`coerceWriteValue`):
 *
 * | `T` | accepted |
 * |---|---|
 * | `Quantity` (numbers) | a `Quantity` in compatible units, a number (or array of numbers) in the attribute's units, a text such as `"12 mm"` |
 * | `boolean` | `true`/`false`, `0`/`1`, a text `"true"`, `"false"`, `"1"`, `"0"` |
 * | `string` | a text |
 * | an array | an array of what its elements accept, or a JSON text such as `"[1, 2]"` |
 * | `unknown` (no type stated) | anything, checked at run time |
 *
 * A scheme's own {@link WriteRequest} is accepted for every `T`.
 */
export type WriteValue<T> = unknown extends T
  ? unknown
  :
      | (T extends Quantity
          ? Quantity | Magnitude | string
          : T extends boolean
            ? boolean | 0 | 1 | string
            : T extends number
              ? number | Quantity | string
              : T extends readonly (infer E)[]
                ? readonly WriteValue<E>[] | string
                : T)
      | WriteRequest;
