/**
 * Name validators: Taurus's model of names as URIs
 * `<scheme>:[//authority][/path][?query][#fragment]`, with one regular
 * expression piece per URI segment supplied by each scheme and composed here
 * into the three element validators (authority, device, attribute).
 *
 * A scheme author subclasses {@link AuthorityNameValidator},
 * {@link DeviceNameValidator} and {@link AttributeNameValidator}, sets the
 * pieces (`scheme`, `authority`, `path`, `query`, `fragment`, as regular
 * expression source text with named groups) and implements `getNames`.
 * Pieces must be unambiguous (each character matchable one way only) so the
 * composed expression runs in linear time; `tk-core/testing` checks it.
 *
 * This layer is pure: no I/O, no model objects.
 *
 * @module
 */
import { quoteInput } from '../errors/quote.js';
import { InvalidNameError } from '../errors/tk-error.js';
import type { ElementType } from './element-type.js';

/** A regular expression piece that never matches (Taurus's `(?!)`). */
export const NEVER = '(?!)';

/**
 * Named groups of a URI match, like Taurus's `getUriGroups`; `__STRICT__`
 * tells which pattern matched. Shared between calls: treat it as read-only.
 */
export type UriGroups = Record<string, string | undefined> & {
  /** True when the strict pattern matched, false when only the non-strict one did. */
  readonly __STRICT__: boolean;
};

/** The three names of a model element plus the fragment of the input. */
export interface ModelNames {
  /** Complete URI that identifies the element unambiguously (Taurus's "complete" name); the cache key. */
  readonly fullName: string;
  /** Unambiguous within the scheme, defaults stripped (Taurus's "normal" name). */
  readonly normalName: string;
  /** Short display name, not necessarily a valid URI (Taurus's "short"/simple name). */
  readonly simpleName: string;
  /** The fragment of the input (`label` for `...#label`), never part of a name. */
  readonly fragment?: string | undefined;
}

/** Options of validation calls. */
export interface StrictOption {
  /**
   * When false (the default, as in Taurus), names accepted by a scheme's
   * backwards-compatible non-strict pattern are valid too.
   */
  strict?: boolean | undefined;
}

/** The parts of a URI, in order; used to say which part of an invalid name failed. */
export type UriPart = 'scheme' | 'authority' | 'path' | 'query' | 'fragment';

/** What a validator reports about an invalid name. */
export interface NameDiagnosis {
  /** The first part that could not be matched. */
  readonly part: UriPart;
  /** A human description of what that part accepts. */
  readonly expected: string;
}

type Template = (p: Record<UriPart, string>) => string;

/**
 * Base class of the three validators. Not subclassed directly by schemes:
 * use {@link AuthorityNameValidator}, {@link DeviceNameValidator} or
 * {@link AttributeNameValidator}.
 */
export abstract class NameValidator {
  /** The element type this validator recognizes. */
  abstract readonly elementType: ElementType;
  /** Regex piece for the scheme (e.g. `eval` or `eval|evaluation`). */
  abstract readonly scheme: string;
  /** Regex piece for the authority, including its leading `//`. */
  authority: string = NEVER;
  /** Regex piece for the path. */
  path: string = NEVER;
  /** Regex piece for the query (without `?`). */
  query: string = NEVER;
  /** Regex piece for the fragment (without `#`). */
  fragment: string = NEVER;
  /** Human descriptions of what each part accepts, used in error messages. */
  partDescriptions: Partial<Record<UriPart, string>> = {};

  /** @internal */
  protected abstract readonly template: Template;
  #strictRe: RegExp | undefined;
  #nonStrictRe: RegExp | null | undefined;
  #memoName: string | undefined;
  #memoStrict: UriGroups | null = null;
  #memoLoose: UriGroups | null | undefined;

  /** The composed strict pattern (source text). */
  get namePattern(): string {
    return this.template({
      scheme: this.scheme,
      authority: this.authority,
      path: this.path,
      query: this.query,
      fragment: this.fragment,
    });
  }

  /**
   * A "less strict" pattern accepted for backwards compatibility when not in
   * strict mode, or null (the default).
   */
  get nonStrictNamePattern(): string | null {
    return null;
  }

  /** The compiled strict regular expression. */
  get nameRegExp(): RegExp {
    if (this.#strictRe === undefined) this.#strictRe = new RegExp(this.namePattern);
    return this.#strictRe;
  }

  /** The compiled non-strict regular expression, or null. */
  get nonStrictNameRegExp(): RegExp | null {
    if (this.#nonStrictRe === undefined) {
      const p = this.nonStrictNamePattern;
      this.#nonStrictRe = p === null ? null : new RegExp(p);
    }
    return this.#nonStrictRe;
  }

  /** Whether `name` is a valid name of this element type. */
  isValid(name: string, options: StrictOption = {}): boolean {
    return this.getUriGroups(name, options) !== null;
  }

  /** The named groups of the match, or null when `name` is not valid. */
  getUriGroups(name: string, options: StrictOption = {}): UriGroups | null {
    // One-entry memo: validation, naming and opening usually ask about the same name in a row.
    // The groups object of the match is returned as it is (copying it costs more than matching).
    if (name !== this.#memoName) {
      this.#memoName = name;
      this.#memoStrict = withStrictFlag(this.nameRegExp.exec(name), true);
      this.#memoLoose = undefined;
    }
    if (this.#memoStrict !== null) return this.#memoStrict;
    if (options.strict === true) return null;
    if (this.#memoLoose === undefined) {
      const ns = this.nonStrictNameRegExp;
      this.#memoLoose = ns === null ? null : withStrictFlag(ns.exec(name), false);
    }
    return this.#memoLoose;
  }

  /**
   * The full, normal and simple names of `name` and its fragment, or null
   * when `name` is not valid. Implemented by each scheme.
   */
  abstract getNames(name: string): ModelNames | null;

  /**
   * Like {@link getNames}, but throws an {@link InvalidNameError} that names
   * the input, the scheme, the element type and the part that failed.
   */
  validate(name: string, options: StrictOption = {}): ModelNames {
    const names = this.isValid(name, options) ? this.getNames(name) : null;
    if (names !== null) return names;
    throw this.invalidNameError(name);
  }

  /**
   * Finds the URI part of `name` that this validator's pieces cannot match:
   * the last part k such that the real pieces before k, with everything from
   * k on accepted as anything, match the name.
   */
  diagnose(name: string): NameDiagnosis {
    const order: UriPart[] = ['scheme', 'authority', 'path', 'query', 'fragment'];
    const pieces: Record<UriPart, string> = {
      scheme: this.scheme,
      authority: this.authority,
      path: this.path,
      query: this.query,
      fragment: this.fragment,
    };
    for (let k = order.length - 1; k >= 0; k--) {
      const probe: Record<UriPart, string> = { ...pieces };
      for (let j = k; j < order.length; j++) probe[order[j]!] = '[^]*';
      let re: RegExp;
      try {
        re = new RegExp(this.template(probe));
      } catch {
        continue;
      }
      if (re.test(name)) {
        const part = order[k]!;
        return { part, expected: this.partDescriptions[part] ?? `a ${part} matching /${pieces[part]}/` };
      }
    }
    return { part: 'scheme', expected: this.partDescriptions.scheme ?? `the scheme /${this.scheme}/` };
  }

  /** Builds the error thrown for an invalid `name`. */
  invalidNameError(name: string): InvalidNameError {
    const schemeName = this.scheme.split('|')[0]!.replace(/\\/g, '');
    const { part, expected } = this.diagnose(name);
    const shown = quoteInput(name);
    return new InvalidNameError(
      name,
      `Invalid ${schemeName} ${this.elementType.toLowerCase()} name ${shown}: the ${part} part is wrong; expected ${expected}`,
      { scheme: schemeName, elementType: this.elementType, part, expected },
    );
  }
}

/** Validator for authority names: `<scheme>:<authority>[/<path>][?<query>][#<fragment>]`. */
export abstract class AuthorityNameValidator extends NameValidator {
  readonly elementType = 'Authority' as const;
  protected readonly template: Template = (p) =>
    `^(?<scheme>${p.scheme}):(?<authority>${p.authority})(?:(?=/)(?<path>${p.path}))?(?:\\?(?<query>${p.query}))?(?:#(?<fragment>${p.fragment}))?$`;

  /** Taurus's default: full `scheme:authority`, normal `authority`, simple without slashes. */
  getNames(name: string): ModelNames | null {
    const g = this.getUriGroups(name);
    if (g === null) return null;
    const authority = g.authority ?? '';
    return {
      fullName: `${g.scheme}:${authority}`,
      normalName: authority,
      simpleName: authority.replace(/^\/+|\/+$/g, ''),
      fragment: g.fragment,
    };
  }
}

/** Validator for device names: `<scheme>:[<authority>]<path>[?<query>][#<fragment>]`; needs a `devname` group. */
export abstract class DeviceNameValidator extends NameValidator {
  readonly elementType = 'Device' as const;
  protected readonly template: Template = (p) =>
    `^(?<scheme>${p.scheme}):(?:(?<authority>${p.authority})(?:$|(?=[/#?])))?(?<path>${p.path})(?:\\?(?<query>${p.query}))?(?:#(?<fragment>${p.fragment}))?$`;
}

/** Validator for attribute names: `<scheme>:[<authority>]<path>[?<query>][#<fragment>]`; needs an `attrname` group. */
export abstract class AttributeNameValidator extends NameValidator {
  readonly elementType = 'Attribute' as const;
  protected readonly template: Template = (p) =>
    `^(?<scheme>${p.scheme}):(?:(?<authority>${p.authority})(?:$|(?=[/#?])))?(?<path>${p.path})(?:\\?(?<query>${p.query}))?(?:#(?<fragment>${p.fragment}))?$`;

  /**
   * The full name of the device an attribute belongs to, from the attribute's
   * name. Schemes override it; the default uses the `devname` group with the
   * scheme and authority of the attribute's full name.
   */
  getParentName(name: string): string | null {
    const names = this.getNames(name);
    if (names === null) return null;
    const g = this.getUriGroups(names.fullName);
    if (g === null || g.devname === undefined) return null;
    return `${g.scheme}:${g.authority ?? ''}${g.devname.startsWith('/') ? '' : '/'}${g.devname}`;
  }
}

/** The three validators of a scheme. */
export interface SchemeValidators {
  /** Validator of authority names. */
  readonly authority: AuthorityNameValidator;
  /** Validator of device names. */
  readonly device: DeviceNameValidator;
  /** Validator of attribute names. */
  readonly attribute: AttributeNameValidator;
}

function withStrictFlag(m: RegExpExecArray | null, strict: boolean): UriGroups | null {
  if (m === null) return null;
  const g = (m.groups ?? Object.create(null)) as Record<string, unknown>;
  g.__STRICT__ = strict;
  return g as UriGroups;
}

/** The scheme written in `name`, or undefined when the name has none. */
export function explicitScheme(name: string): string | undefined {
  // Taurus's /([^:/?#]+):/ at the start, as a scan (no match object on the hot path)
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 58) return i === 0 ? undefined : name.slice(0, i); // ':'
    if (c === 47 || c === 63 || c === 35) return undefined; // '/', '?', '#'
  }
  return undefined;
}
