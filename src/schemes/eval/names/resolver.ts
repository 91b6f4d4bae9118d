/**
 * A {@link NameResolver} that knows the eval scheme only: enough to validate
 * and name eval names whose references are eval names (`eval:{eval:1}*2`),
 * without a manager.
 *
 * @module
 */

import type { ElementType } from '../../../model/enums.js';
import { ELEMENT_TYPES } from '../../../model/enums.js';
import { explicitScheme, type ModelNames, type NameValidator } from '../../../validators/name-validator.js';
import type { NameResolver } from '../../contract.js';
import { EVAL_ALIASES, EVAL_SCHEME } from './constants.js';
import { createEvalValidators } from './validators.js';

/**
 * Creates a resolver whose only scheme is eval (and its aliases), with eval as
 * the default scheme, answering like a manager that has only the eval scheme:
 * a name of another scheme is invalid.
 */
export function createEvalOnlyResolver(): NameResolver {
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
  const resolver: NameResolver = {
    isValidName(name, options = {}) {
      const n = place(name);
      if (n === null) return false;
      return (options.types ?? ELEMENT_TYPES).some((t) =>
        validatorOf(t).isValid(n, { strict: options.strict }),
      );
    },
    getNames(name): ModelNames | null {
      const n = place(name);
      if (n === null) return null;
      for (const t of ELEMENT_TYPES) {
        const v = validatorOf(t);
        if (v.isValid(n)) {
          const names = v.getNames(n);
          if (names !== null) return names;
        }
      }
      return null;
    },
  };
  const validators = createEvalValidators(resolver);
  return resolver;
}
