/**
 * The three kinds of model element a name can denote. Part of the names'
 * vocabulary: the validators use them, so they live with the validators.
 *
 * @module
 */

/** The three kinds of model element, in Taurus's order of precedence. */
export const ElementType = {
  /** A data point. */
  Attribute: 'Attribute',
  /** A container of attributes. */
  Device: 'Device',
  /** A server or database, the root of a scheme's tree. */
  Authority: 'Authority',
} as const;
/** One of {@link ElementType}. */
export type ElementType = (typeof ElementType)[keyof typeof ElementType];
/** Element types in the order Taurus's `getValidTypesForName` reports them. */
export const ELEMENT_TYPES: readonly ElementType[] = ['Attribute', 'Device', 'Authority'];
