/**
 * Datapoint and node paths: `/seg/seg/.../seg`, segments of letters, digits,
 * `_` and `-`, under any top-level node (`/root/example/double/sine`,
 * `/elt/tdm/ocm`). A datapoint lives in a node, so its path has at least two
 * segments; a node path has at least one (`/` is the top of the tree). The
 * same rules hold for both stores and for `cii.oldb` names (a node is a
 * device, a datapoint an attribute).
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';

/** The characters a path segment may hold (regular expression class body). */
export const SEGMENT_CHARS = 'A-Za-z0-9_\\-';

/** The longest path accepted, in characters. */
export const MAX_PATH_LENGTH = 1024;

const NODE_RE = new RegExp(`^(?:/[${SEGMENT_CHARS}]+)+$`);
const DATAPOINT_RE = new RegExp(`^/[${SEGMENT_CHARS}]+(?:/[${SEGMENT_CHARS}]+)+$`);

/** Whether `path` is a valid datapoint path: a node and a name (`/root/example/double/sine`, `/elt/tdm/ocm`). */
export function isValidPath(path: string): boolean {
  return typeof path === 'string' && path.length <= MAX_PATH_LENGTH && DATAPOINT_RE.test(path);
}

/** Whether `path` is a valid path node to list: `/`, or one or more segments (`/elt`, `/root/example`). */
export function isValidNodePath(path: string): boolean {
  return path === '/' || (typeof path === 'string' && path.length <= MAX_PATH_LENGTH && NODE_RE.test(path));
}

function shown(path: unknown): string {
  const s = typeof path === 'string' ? path : String(path);
  return s.length > 120
    ? `${JSON.stringify(s.slice(0, 120))}... (${s.length} characters)`
    : JSON.stringify(s);
}

/** Throws an INVALID_NAME {@link TkError} naming `path` unless it is a valid datapoint path. */
export function assertPath(path: string): void {
  if (isValidPath(path)) return;
  const node = isValidNodePath(path);
  throw new TkError(
    'INVALID_NAME',
    node
      ? `Invalid OLDB datapoint path ${shown(path)}: a datapoint lives in a node, so its path has at least two segments (e.g. "/elt/tdm/ocm" or "/root${path}")`
      : `Invalid OLDB datapoint path ${shown(path)}: expected "/" followed by at least two segments of letters, digits, "_" or "-" separated by "/" (e.g. "/root/example/double/sine" or "/elt/tdm/ocm"), at most ${MAX_PATH_LENGTH} characters`,
    { details: { input: path } },
  );
}

/** Throws an INVALID_NAME {@link TkError} naming `path` unless it is `/` or a valid node path. */
export function assertNodePath(path: string): void {
  if (isValidNodePath(path)) return;
  throw new TkError(
    'INVALID_NAME',
    `Invalid OLDB node path ${shown(path)}: expected "/" or "/" followed by segments of letters, digits, "_" or "-" separated by "/" (e.g. "/elt" or "/root/example"), at most ${MAX_PATH_LENGTH} characters`,
    { details: { input: path } },
  );
}

/** The segments of a valid path. */
export function pathSegments(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

/** The parent node of a valid path (`/` for a top-level one). */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** The last segment of a valid path. */
export function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Joins a node path and a child name. */
export function childPath(node: string, name: string): string {
  return node === '/' ? `/${name}` : `${node}/${name}`;
}
