/**
 * Type-only re-exports of the scheme contract and validators, for internal modules.
 *
 * @module
 * @internal
 */

export type { ModelNames, SchemeValidators, UriGroups } from '../validators/name-validator.js';
export type {
  AttributeConfig,
  AttributeSink,
  AttributeSource,
  AttributeTarget,
  FragmentGetter,
  FragmentView,
  Limits,
  NameResolver,
  SchemeBackend,
  SchemeContext,
  SchemePlugin,
} from './contract.js';
