/**
 * How the eval attribute validator reaches the validator of each reference.
 *
 * The {@link NameResolver} contract answers `isValidName` and `getNames`; a
 * manager also tells, through its public API, which scheme a name belongs to
 * (`getSchemeFromName`), the validator of a scheme (`getValidator`) and its
 * default strictness (`strict`). With those, a reference is validated and
 * named by its scheme's validator directly, exactly as the manager would do
 * it (same validator, same name, same strictness), without the manager's
 * per-call overhead (about 2 µs per `getNames`, which dominated names holding
 * thousands of references). Any other resolver is asked through the contract.
 *
 * @module
 */
import { explicitScheme, type NameValidator } from '../../../validators/name-validator.js';
import type { NameResolver } from '../../contract.js';

/** What a manager-like resolver exposes besides the {@link NameResolver} contract. */
interface RoutingResolver {
  getSchemeFromName(name: string): string | undefined;
  getValidator(scheme: string, type: 'Attribute'): NameValidator | undefined;
  readonly strict?: unknown;
}

function isRoutingResolver(r: NameResolver): r is NameResolver & RoutingResolver {
  const x = r as Partial<RoutingResolver>;
  return typeof x.getSchemeFromName === 'function' && typeof x.getValidator === 'function';
}

/** Where a reference goes: the attribute validator of its scheme and the name that validator is given. */
export interface ReferenceRoute {
  /** The attribute validator of the reference's scheme, or null when the scheme is unknown. */
  readonly validator: NameValidator | null;
  /** The reference with its scheme (the default scheme's prefix added when it had none). */
  readonly name: string;
}

/**
 * The routes of references through one resolver. A scheme's validator, once
 * found, is kept (a manager never replaces a registered scheme); an unknown
 * scheme is asked again each time (it may be registered later), and so is
 * the default scheme (it may change).
 */
export class ReferenceRouter {
  readonly #resolver: NameResolver & RoutingResolver;
  readonly #validators = new Map<string, NameValidator>();

  private constructor(resolver: NameResolver & RoutingResolver) {
    this.#resolver = resolver;
  }

  /** The resolver's default strictness (used when a call does not give one). */
  get strict(): boolean {
    return this.#resolver.strict === true;
  }

  /** A router for `resolver`, or null when it only offers the {@link NameResolver} contract. */
  static of(resolver: NameResolver): ReferenceRouter | null {
    return isRoutingResolver(resolver) ? new ReferenceRouter(resolver) : null;
  }

  /** The route of `ref`, as the manager's own lookup would find it. */
  route(ref: string): ReferenceRoute {
    const written = explicitScheme(ref);
    const scheme = written ?? this.#resolver.getSchemeFromName(ref);
    if (scheme === undefined) return { validator: null, name: ref };
    let validator: NameValidator | null | undefined = this.#validators.get(scheme);
    if (validator === undefined) {
      try {
        validator = this.#resolver.getValidator(scheme, 'Attribute') ?? null;
      } catch {
        validator = null; // unknown scheme
      }
      if (validator !== null) this.#validators.set(scheme, validator);
    }
    return { validator, name: written === undefined ? `${scheme}:${ref}` : ref };
  }
}
