/**
 * The validators of a plugin, for tests that check names without a manager.
 *
 * @module
 */
import type { NameResolver, SchemePlugin } from '../schemes/contract.js';
import type { SchemeValidators } from '../validators/name-validator.js';

/** A resolver that knows no other scheme: embedded names of other schemes are invalid. */
export const NO_OTHER_SCHEMES: NameResolver = {
  isValidName: () => false,
  getNames: () => null,
};

/**
 * The validators of `plugin`, built with `resolver` when the plugin builds
 * them per manager (default: a resolver that knows no other scheme).
 */
export function validatorsOf(
  plugin: SchemePlugin,
  resolver: NameResolver = NO_OTHER_SCHEMES,
): SchemeValidators {
  return typeof plugin.validators === 'function' ? plugin.validators(resolver) : plugin.validators;
}
