/**
 * A {@link NameResolver} that knows the eval scheme only: enough to validate
 * and name eval names whose references are eval names (`eval:{eval:1}*2`),
 * without a manager.
 *
 * @module
 */

import type { ElementType } from '../../../core/enums.js';
import { ELEMENT_TYPES } from '../../../core/enums.js';
import { explicitScheme, type ModelNames, type NameValidator } from '../../../validators/name-validator.js';
import type { NameResolver } from '../../contract.js';
import { EVAL_ALIASES, EVAL_SCHEME } from './constants.js';
import { createEvalValidators } from './validators.js';

/**
 * The resolver of {@link createEvalOnlyResolver}. Like a manager, it tells
 * the scheme of a name and the validator of a scheme, so eval validators can
 * name `eval:` references themselves.
 */
export interface EvalOnlyResolver extends NameResolver {
  /** The scheme written in `name`, else eval. */
  getSchemeFromName(name: string): string;
  /** The eval validator of `type` for the eval scheme (and its aliases), else undefined. */
  getValidator(scheme: string, type: ElementType): NameValidator | undefined;
}

/**
 * Creates a resolver whose only scheme is eval (and its aliases), with eval as
 * the default scheme, answering like a manager that has only the eval scheme:
 * a name of another scheme is invalid.
 */
export function createEvalOnlyResolver(): EvalOnlyResolver {
  const schemes = new Set([EVAL_SCHEME, ...EVAL_ALIASES]);
  const place = (name: string): string | null => {
    const scheme = explicitScheme(name);
    if (scheme === undefined) return `${EVAL_SCHEME}:${name}`;
    return schemes.has(scheme) ? name : null;
  };
  const validatorOf = (type: ElementType): NameValidator =>
    type === 'Attribute'
      ? validators.attribute
      : type === 'Device'
        ? validators.device
        : validators.authority;
  const resolver: EvalOnlyResolver = {
    getSchemeFromName(name) {
      return explicitScheme(name) ?? EVAL_SCHEME;
    },
    getValidator(scheme, type) {
      return schemes.has(scheme) ? validatorOf(type) : undefined;
    },
    isValidName(name, options = {}) {
      const n = place(name);
      if (n === null) return false;
      return (options.types ?? ELEMENT_TYPES).some((t) =>
        validatorOf(t).isValid(n, { strict: options.strict }),
      );
    },
    getNames(name): (ModelNames & { readonly elementType: ElementType }) | null {
      const n = place(name);
      if (n === null) return null;
      for (const t of ELEMENT_TYPES) {
        const v = validatorOf(t);
        if (v.isValid(n)) {
          const names = v.getNames(n);
          if (names !== null) {
            const { fullName, normalName, simpleName, fragment } = names;
            return { fullName, normalName, simpleName, fragment, elementType: t };
          }
        }
      }
      return null;
    },
  };
  const validators = createEvalValidators(resolver);
  return resolver;
}
