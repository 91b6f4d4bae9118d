/**
 * Attribute events, as Taurus types them: change, config, periodic, error.
 * An error is an event; it never ends a stream.
 *
 * @module
 */

import type { AttributeConfig } from '../core/config.js';
import type { Reading } from '../core/reading.js';
import type { TkError } from '../errors/tk-error.js';

/** Taurus event types. */
export type TkEventType = 'change' | 'config' | 'periodic' | 'error';

/** A new value (`change`), or a polled value equal to the previous one (`periodic`). */
export interface ValueEvent<T = unknown> {
  /** `change` for a new value, `periodic` for a polled value equal to the previous one. */
  readonly type: 'change' | 'periodic';
  /** The full name of the attribute. */
  readonly name: string;
  /** The reading. */
  readonly reading: Reading<T>;
}

/** A failure: the reading is INVALID and carries the error. */
export interface ErrorEvent<T = unknown> {
  /** Always `error`. */
  readonly type: 'error';
  /** The full name of the attribute. */
  readonly name: string;
  /** The INVALID reading that carries the error. */
  readonly reading: Reading<T>;
  /** What went wrong. */
  readonly error: TkError;
}

/** Changed metadata. */
export interface ConfigEvent {
  /** Always `config`. */
  readonly type: 'config';
  /** The full name of the attribute. */
  readonly name: string;
  /** The whole configuration after the change. */
  readonly config: AttributeConfig;
}

/** Any attribute event; `T` is the type of the readings' values (see {@link Reading}). */
export type TkEvent<T = unknown> = ValueEvent<T> | ErrorEvent<T> | ConfigEvent;

/** A subscription made through the plain callback API. */
export interface ListenerSubscription {
  /** Stops the callbacks; idempotent. */
  unsubscribe(): void;
  /** Same as `unsubscribe`, for `using`. */
  [Symbol.dispose](): void;
}
