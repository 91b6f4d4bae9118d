/**
 * Names of the `loc` scheme: in-process points.
 *
 * ```
 * loc:[//namespace]/<device path>/<attribute>[?declaration][#fragment]
 * loc:/ui/motor/speed?type=float&init=2.5&units=mm/s&min=0&max=10#rvalue.units
 * ```
 *
 * Segments are letters, digits, `_`, `-` and `.`; the device path has one or
 * more segments. The namespace defaults to `local`. The declaration is part of
 * the full name in canonical form (see docs/loc.md for the identity rules).
 *
 * @module
 */
import {
  AttributeNameValidator,
  AuthorityNameValidator,
  DeviceNameValidator,
  type ModelNames,
  NEVER,
  type SchemeValidators,
  type StrictOption,
  type UriGroups,
} from '../../../validators/name-validator.js';
import { canonicalQuery, DeclarationError, declarationNameError, parseDeclaration } from '../declaration.js';

/** The namespace of names written without one. */
export const LOC_DEFAULT_AUTHORITY = '//local';

const SEGMENT = '[A-Za-z0-9_.-]+';
const AUTHORITY = `//${SEGMENT}`;
const DEVICE_PATH = `(?<devname>(?:/${SEGMENT})+)`;
const QUERY = '[A-Za-z_]+=[^&#]*(?:&[A-Za-z_]+=[^&#]*)*';
const FRAGMENT = '[^#]*';

const DESCRIPTIONS = {
  scheme: '"loc"',
  authority: 'an optional namespace "//name" (letters, digits, _ - .)',
  path: 'a device path and an attribute, such as /ui/motor/speed (segments of letters, digits, _ - .)',
  query: `a declaration such as ?type=float&init=0&units=mm`,
  fragment: 'a fragment such as #label or #rvalue.units',
};

function authorityOf(g: UriGroups): string {
  return g.authority ?? LOC_DEFAULT_AUTHORITY;
}

function shortAuthority(a: string): string {
  return a === LOC_DEFAULT_AUTHORITY ? '' : a;
}

/** Validator of loc authority names: `loc://namespace`. */
export class LocAuthorityNameValidator extends AuthorityNameValidator {
  readonly scheme = 'loc';
  override authority = AUTHORITY;
  override path = NEVER;
  override query = NEVER;
  override fragment = FRAGMENT;
  override partDescriptions = DESCRIPTIONS;
}

/** Validator of loc device names: `loc:[//namespace]/a/b`. */
export class LocDeviceNameValidator extends DeviceNameValidator {
  readonly scheme = 'loc';
  override authority = AUTHORITY;
  override path = DEVICE_PATH;
  override query = NEVER;
  override fragment = FRAGMENT;
  override partDescriptions = {
    ...DESCRIPTIONS,
    path: 'a device path such as /ui/motor (segments of letters, digits, _ - .)',
    query: 'nothing: devices take no declaration',
  };

  getNames(name: string): ModelNames | null {
    const g = this.getUriGroups(name);
    if (g === null) return null;
    const auth = authorityOf(g);
    const dev = g.devname!;
    return {
      fullName: `loc:${auth}${dev}`,
      normalName: `${shortAuthority(auth)}${dev}`,
      simpleName: dev.slice(dev.lastIndexOf('/') + 1),
      fragment: g.fragment,
    };
  }
}

/** Validator of loc attribute names: `loc:[//namespace]/a/b/attr[?declaration]`. */
export class LocAttributeNameValidator extends AttributeNameValidator {
  readonly scheme = 'loc';
  override authority = AUTHORITY;
  override path = `${DEVICE_PATH}/(?<attrname>${SEGMENT})`;
  override query = QUERY;
  override fragment = FRAGMENT;
  override partDescriptions = DESCRIPTIONS;

  /** Valid when the pattern matches and the declaration is well-formed. */
  override getUriGroups(name: string, options: StrictOption = {}): UriGroups | null {
    const g = super.getUriGroups(name, options);
    if (g === null) return null;
    try {
      parseDeclaration(g.query);
    } catch (err) {
      if (err instanceof DeclarationError) return null;
      throw err;
    }
    return g;
  }

  override invalidNameError(name: string) {
    const g = super.getUriGroups(name);
    if (g !== null) {
      try {
        parseDeclaration(g.query);
      } catch (err) {
        if (err instanceof DeclarationError) return declarationNameError(name, err);
      }
    }
    return super.invalidNameError(name);
  }

  getNames(name: string): ModelNames | null {
    const g = this.getUriGroups(name);
    if (g === null) return null;
    const auth = authorityOf(g);
    const q = canonicalQuery(parseDeclaration(g.query));
    const path = `${g.devname}/${g.attrname}`;
    const query = q === '' ? '' : `?${q}`;
    return {
      fullName: `loc:${auth}${path}${query}`,
      normalName: `${shortAuthority(auth)}${path}${query}`,
      simpleName: g.attrname!,
      fragment: g.fragment,
    };
  }

  override getParentName(name: string): string | null {
    const g = this.getUriGroups(name);
    if (g === null) return null;
    return `loc:${authorityOf(g)}${g.devname}`;
  }
}

/** The validators of the loc scheme. */
export function createLocValidators(): SchemeValidators {
  return {
    authority: new LocAuthorityNameValidator(),
    device: new LocDeviceNameValidator(),
    attribute: new LocAttributeNameValidator(),
  };
}
