/**
 * The options of an attribute's read and write, and the handle that holds it.
 *
 * @module
 */

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

/** A handle that keeps a model from being released; see {@link AttributeModel.hold}. */
export interface ModelHandle extends Disposable {
  /** Lets the model go (idempotent). */
  dispose(): void;
}
