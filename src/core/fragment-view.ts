/**
 * Fragments as the core sees them: a getter reads one fragment (`#label`,
 * `#rvalue.units`) from what an attribute shows of itself.
 *
 * @module
 */
import type { ModelNames } from '../validators/name-validator.js';
import type { AttributeConfig } from './config.js';
import type { Reading } from './reading.js';

/** A fragment getter: receives the attribute's current view and returns the fragment's value. */
export type FragmentGetter = (view: FragmentView) => unknown;

/** What a fragment getter can see of an attribute. */
export interface FragmentView {
  /** Names of the attribute. */
  readonly names: ModelNames;
  /** Current metadata. */
  readonly config: AttributeConfig;
  /** Latest reading, if any. */
  readonly reading: Reading | undefined;
}
