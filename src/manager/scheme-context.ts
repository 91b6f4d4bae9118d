/**
 * The services a manager gives each scheme's backend (its `SchemeContext`):
 * the clock, the scheme's logger and options, and the manager's attributes
 * and names for schemes whose attributes depend on others.
 *
 * @module
 */

import type { AttributeModel } from '../attribute/attribute.js';
import type { NameResolver } from '../core/name-resolver.js';
import type { Reading } from '../core/reading.js';
import type { SchemeContext } from '../schemes/contract.js';
import type { Clock } from '../util/clock.js';
import type { SchemeEntry } from './scheme-registry.js';

/** What a scheme context needs of its manager. */
export interface ContextManager extends Pick<NameResolver, 'isValidName' | 'getNames'> {
  /** The manager's clock. */
  readonly clock: Clock;
  /** The manager's attribute of a name. */
  attribute(name: string): AttributeModel;
}

/** The context of one scheme's backend in `manager`, with the scheme's `options`. */
export function schemeContext(
  manager: ContextManager,
  entry: SchemeEntry,
  options: Readonly<Record<string, unknown>>,
): SchemeContext {
  return {
    clock: manager.clock,
    log: entry.runtime.log,
    options,
    subscribeAttribute: (name, onReading) => {
      const a = manager.attribute(name);
      const names = a.names;
      const sub = a.subscribe((r: Reading) => onReading(r, names));
      return { names, unsubscribe: () => sub.unsubscribe() };
    },
    readAttribute: (name, options) => manager.attribute(name).read(options),
    isValidName: (name, options) => manager.isValidName(name, options),
    getNames: (name) => manager.getNames(name),
  };
}
