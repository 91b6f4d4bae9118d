/**
 * The vocabulary of the model: qualities, data types and formats and
 * connection states, as Taurus defines them, and the element types (defined
 * with the names, in `validators/element-type.ts`, and re-exported here).
 *
 * @module
 */

export { ELEMENT_TYPES, ElementType } from '../validators/element-type.js';

/** Quality of a reading (Taurus's `AttrQuality`). */
export const Quality = {
  /** A good value. */
  VALID: 'VALID',
  /** No usable value: see the reading's error. */
  INVALID: 'INVALID',
  /** Outside the alarm limits. */
  ALARM: 'ALARM',
  /** The value is moving towards a set-point. */
  CHANGING: 'CHANGING',
  /** Outside the warning limits, or doubtful. */
  WARNING: 'WARNING',
} as const;
/** One of {@link Quality}. */
export type Quality = (typeof Quality)[keyof typeof Quality];

/** Type of an attribute's value (Taurus's `DataType`). */
export const DataType = {
  /** Whole numbers. */
  Integer: 'Integer',
  /** Floating-point numbers. */
  Float: 'Float',
  /** Text. */
  String: 'String',
  /** True or false. */
  Boolean: 'Boolean',
  /** Raw bytes (`Uint8Array`). */
  Bytes: 'Bytes',
  /** Anything else. */
  Object: 'Object',
} as const;
/** One of {@link DataType}. */
export type DataType = (typeof DataType)[keyof typeof DataType];

/** Shape of an attribute's value: scalar, 1-D (spectrum) or 2-D (image); Taurus's `_0D`, `_1D`, `_2D`. */
export const DataFormat = {
  /** One value (Taurus's `_0D`). */
  Scalar: 'scalar',
  /** A 1-D array (Taurus's `_1D`). */
  Spectrum: 'spectrum',
  /** A 2-D array (Taurus's `_2D`). */
  Image: 'image',
} as const;
/** One of {@link DataFormat}. */
export type DataFormat = (typeof DataFormat)[keyof typeof DataFormat];

/** Connection state of a model's backend, published separately from readings. */
export const ConnectionState = {
  /** Not yet asked to connect, or released. */
  Idle: 'idle',
  /** Connecting for the first time or after a loss. */
  Connecting: 'connecting',
  /** Connected and delivering. */
  Connected: 'connected',
  /** The backend went away; readings are INVALID until it comes back. */
  Disconnected: 'disconnected',
} as const;
/** One of {@link ConnectionState}. */
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];
