/**
 * Names of the `cii.oldb` scheme:
 *
 * ```
 * cii.oldb:[//[host[:port]]]/<device path>/<attribute>[#fragment]
 * cii.oldb:/root/example/double/sine#rvalue.units
 * cii.oldb:/elt/tdm/ocm
 * cii.oldb://oldb.example.org:6380/root/example/double/sine
 * ```
 *
 * The seed's pattern (section 10.1) is followed with these changes, all
 * documented in docs/oldb.md: any top-level node, not only `/root` (real
 * installations name datapoints such as `/elt/tdm/ocm`); path segments also
 * accept `_` and `-`; the device path is matched segment by segment with a
 * lookahead so the expression is unambiguous and runs in linear time (the
 * seed's `[A-Za-z0-9/]+` overlaps the following `/attr` and is quadratic on
 * long inputs); the device name (`devname`) is the whole node path (`/root`
 * included); the authority names a Redis server; no authority (or an empty
 * one, `cii.oldb:///root/...`) means the manager's default OLDB and stays
 * empty in the full name, so names do not depend on configuration. User names and passwords are not
 * part of the grammar: credentials come from configuration only.
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
  type UriPart,
} from '../../../validators/name-validator.js';

/** The scheme name. */
export const OLDB_SCHEME = 'cii.oldb';

/** The default port of an OLDB server named without one. */
export const OLDB_DEFAULT_PORT = 6379;

const SEGMENT = '[A-Za-z0-9_\\-]+';
const HOST = '(?<host>[A-Za-z0-9][A-Za-z0-9.\\-]*|\\[[0-9A-Fa-f:.]+\\])';
const PORT = '(?<port>6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})';
/** Regex piece of the authority: `//`, `//host` or `//host:port`. */
export const OLDB_AUTHORITY_PATTERN = `//(?:${HOST}(?::${PORT})?)?`;
/**
 * Regex piece of an attribute path: `devname` is the node path (one or more
 * segments, each followed by `/`), `attrname` the last segment.
 */
export const OLDB_ATTRIBUTE_PATH_PATTERN = `(?<devname>(?:/${SEGMENT}(?=/))+)/(?<attrname>${SEGMENT})`;
/** Regex piece of a device path: one or more segments (`/root`, `/elt/tdm`). */
export const OLDB_DEVICE_PATH_PATTERN = `(?<devname>(?:/${SEGMENT})+)`;
/** Regex piece of the fragment: anything but `#` and white space. */
export const OLDB_FRAGMENT_PATTERN = '[^#\\s]*';

const SCHEME_PATTERN = 'cii\\.oldb';

const DESCRIPTIONS = {
  scheme: '"cii.oldb"',
  authority: 'an optional server "//host" or "//host:port" (port 1-65535, no user name or password)',
  path: 'an absolute path of a node and a datapoint, such as /root/example/double/sine or /elt/tdm/ocm (segments of letters, digits, _ and -)',
  query: 'no query',
  fragment: 'a fragment without white space, such as #label or #rvalue.units',
};

/** The parts of a `cii.oldb` name that identify a server. */
export interface OldbServerRef {
  /** The host as written in names (lower case; IPv6 in brackets), or undefined for the default OLDB. */
  readonly host: string | undefined;
  /** The port (6379 when absent), or undefined for the default OLDB. */
  readonly port: number | undefined;
}

/** The server named by a match: undefined host for the default OLDB. */
export function serverOf(g: UriGroups): OldbServerRef {
  if (g.host === undefined || g.host === '') return { host: undefined, port: undefined };
  return { host: g.host.toLowerCase(), port: g.port === undefined ? OLDB_DEFAULT_PORT : Number(g.port) };
}

/** The canonical authority of a server: `''` for the default OLDB, else `//host:port`. */
export function fullAuthority(s: OldbServerRef): string {
  return s.host === undefined ? '' : `//${s.host}:${s.port}`;
}

/** The normal authority: the default port is left out. */
export function normalAuthority(s: OldbServerRef): string {
  return s.host === undefined ? '' : s.port === OLDB_DEFAULT_PORT ? `//${s.host}` : `//${s.host}:${s.port}`;
}

/** Validator of `cii.oldb` authority names: `cii.oldb://host[:port]`, or `cii.oldb://` for the default OLDB. */
export class OldbAuthorityNameValidator extends AuthorityNameValidator {
  readonly scheme = SCHEME_PATTERN;
  override authority = OLDB_AUTHORITY_PATTERN;
  override path = NEVER;
  override query = NEVER;
  override fragment = OLDB_FRAGMENT_PATTERN;
  override partDescriptions: Partial<Record<UriPart, string>> = DESCRIPTIONS;

  /** Full `cii.oldb://host:port` (`cii.oldb://` for the default OLDB), normal `//host[:port]`, simple `host:port` or `default`. */
  override getNames(name: string): ModelNames | null {
    const g = this.getUriGroups(name);
    if (g === null) return null;
    const s = serverOf(g);
    const full = fullAuthority(s);
    return {
      fullName: `${OLDB_SCHEME}:${full === '' ? '//' : full}`,
      normalName: normalAuthority(s) || '//',
      simpleName: s.host === undefined ? 'default' : `${s.host}:${s.port}`,
      fragment: g.fragment,
    };
  }
}

/** Validator of `cii.oldb` device names (path nodes): `cii.oldb:[//host[:port]]/segment[/segment...]`. */
export class OldbDeviceNameValidator extends DeviceNameValidator {
  readonly scheme = SCHEME_PATTERN;
  override authority = OLDB_AUTHORITY_PATTERN;
  override path = OLDB_DEVICE_PATH_PATTERN;
  override query = NEVER;
  override fragment = OLDB_FRAGMENT_PATTERN;
  override partDescriptions: Partial<Record<UriPart, string>> = DESCRIPTIONS;

  /** Full `cii.oldb:[//host:port]/node/...`, normal without the scheme and default port, simple the path. */
  getNames(name: string): ModelNames | null {
    const g = this.getUriGroups(name);
    if (g === null) return null;
    const s = serverOf(g);
    const dev = g.devname!;
    return {
      fullName: `${OLDB_SCHEME}:${fullAuthority(s)}${dev}`,
      normalName: `${normalAuthority(s)}${dev}`,
      simpleName: dev,
      fragment: g.fragment,
    };
  }
}

/** Validator of `cii.oldb` attribute names (datapoints): `cii.oldb:[//host[:port]]/<device path>/<attribute>`. */
export class OldbAttributeNameValidator extends AttributeNameValidator {
  readonly scheme = SCHEME_PATTERN;
  override authority = OLDB_AUTHORITY_PATTERN;
  override path = OLDB_ATTRIBUTE_PATH_PATTERN;
  override query = NEVER;
  override fragment = OLDB_FRAGMENT_PATTERN;
  override partDescriptions: Partial<Record<UriPart, string>> = DESCRIPTIONS;

  /** Whether `name` is valid; a plain name (see `plainAttributeSlash`) without matching the expression. */
  override isValid(name: string, options?: StrictOption): boolean {
    return plainAttributeSlash(name) > 0 || super.isValid(name, options);
  }

  /** Full `cii.oldb:[//host:port]/node/.../attr`, normal without the scheme and default port, simple the attribute. */
  getNames(name: string): ModelNames | null {
    // a plain name is its own full name: read by a scan (a panel opening names thousands this way)
    const slash = plainAttributeSlash(name);
    if (slash > 0) {
      return {
        fullName: name,
        normalName: name.slice(PLAIN_PREFIX.length),
        simpleName: name.slice(slash + 1),
        fragment: undefined,
      };
    }
    const g = this.getUriGroups(name);
    if (g === null) return null;
    const s = serverOf(g);
    const path = `${g.devname}/${g.attrname}`;
    return {
      fullName: `${OLDB_SCHEME}:${fullAuthority(s)}${path}`,
      normalName: `${normalAuthority(s)}${path}`,
      simpleName: g.attrname!,
      fragment: g.fragment,
    };
  }
}

const PLAIN_PREFIX = `${OLDB_SCHEME}:`;

/** Whether `c` is a character of a path segment: `[A-Za-z0-9_-]`. */
function isSegmentChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || // a-z
    (c >= 65 && c <= 90) || // A-Z
    (c >= 48 && c <= 57) || // 0-9
    c === 95 || // _
    c === 45 // -
  );
}

/**
 * The index of the last `/` of `name` when it is a plain attribute name of
 * the default OLDB, `cii.oldb:/<segment>/.../<segment>` (two segments or
 * more, of `[A-Za-z0-9_-]`, no authority, fragment or query): the canonical
 * spelling, which the expression matches with no authority and no fragment.
 * -1 for anything else, valid or not (the expression decides then). A scan:
 * no match object, no group strings.
 */
export function plainAttributeSlash(name: string): number {
  const start = PLAIN_PREFIX.length;
  if (!name.startsWith(PLAIN_PREFIX) || name.charCodeAt(start) !== 47 /* / */) return -1;
  let slash = start;
  for (let i = start + 1; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 47) {
      if (i === slash + 1) return -1; // an empty segment (and so no authority)
      slash = i;
    } else if (!isSegmentChar(c)) return -1;
  }
  // a node and a datapoint: a second slash, and a last segment after it
  return slash === start || slash === name.length - 1 ? -1 : slash;
}

/** New instances of the three `cii.oldb` validators. */
export function createOldbValidators(): SchemeValidators {
  return {
    authority: new OldbAuthorityNameValidator(),
    device: new OldbDeviceNameValidator(),
    attribute: new OldbAttributeNameValidator(),
  };
}

/** What a full `cii.oldb` name designates: a server (or the default) and a datapoint or node path. */
export interface OldbTargetRef extends OldbServerRef {
  /** The datapoint or node path (`/root/...`, `/elt/...`), `/` for an authority. */
  readonly path: string;
}

/**
 * The server and datapoint path of a canonical attribute full name, read
 * without a regular expression: `cii.oldb:/a/b` or `cii.oldb://host:port/a/b`
 * (the only forms the validator's full names take). Undefined for anything
 * else (the caller matches the name then, with {@link parseFullName}).
 */
export function parseCanonicalAttributeName(fullName: string): OldbTargetRef | undefined {
  const start = OLDB_SCHEME.length + 1;
  if (!fullName.startsWith(OLDB_SCHEME) || fullName.charCodeAt(start - 1) !== 58 /* : */) return undefined;
  if (fullName.charCodeAt(start) !== 47 /* / */) return undefined;
  if (fullName.charCodeAt(start + 1) !== 47) {
    // no authority: the default OLDB; a datapoint has a node and a name
    const path = fullName.slice(start);
    return path.lastIndexOf('/') > 0 ? { host: undefined, port: undefined, path } : undefined;
  }
  const slash = fullName.indexOf('/', start + 2);
  const colon = fullName.lastIndexOf(':', slash);
  if (slash < 0 || colon <= start + 2) return undefined;
  const port = Number(fullName.slice(colon + 1, slash));
  const path = fullName.slice(slash);
  if (!Number.isInteger(port) || path.lastIndexOf('/') === 0) return undefined;
  return { host: fullName.slice(start + 2, colon), port, path };
}

/** Splits a valid canonical full name into its server and path. */
export function parseFullName(fullName: string, validators: SchemeValidators): OldbTargetRef | null {
  for (const v of [validators.attribute, validators.device, validators.authority]) {
    const g = v.getUriGroups(fullName, { strict: true });
    if (g === null) continue;
    const s = serverOf(g);
    const path = g.attrname !== undefined ? `${g.devname}/${g.attrname}` : (g.devname ?? '/');
    return { ...s, path };
  }
  return null;
}
