/**
 * Datapoint paths: `/seg/seg/.../seg`, segments of letters, digits, `_` and
 * `-`. The same rules hold for both stores and for `cii.oldb` names.
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';

/** The characters a path segment may hold (regular expression class body). */
export const SEGMENT_CHARS = 'A-Za-z0-9_\\-';

/** The longest path accepted, in characters. */
export const MAX_PATH_LENGTH = 1024;

const PATH_RE = new RegExp(`^(?:/[${SEGMENT_CHARS}]+)+$`);

/** Whether `path` is a valid datapoint path (`/root/example/double/sine`). */
export function isValidPath(path: string): boolean {
  return typeof path === 'string' && path.length <= MAX_PATH_LENGTH && PATH_RE.test(path);
}

/** Whether `path` is a valid path node to list: a datapoint path or `/`. */
export function isValidNodePath(path: string): boolean {
  return path === '/' || isValidPath(path);
}

function shown(path: unknown): string {
  const s = typeof path === 'string' ? path : String(path);
  return s.length > 120
    ? `${JSON.stringify(s.slice(0, 120))}... (${s.length} characters)`
    : JSON.stringify(s);
}

/** Throws a CONFIG-coded {@link TkError} naming `path` unless it is a valid datapoint path. */
export function assertPath(path: string, what = 'datapoint path'): void {
  if (!isValidPath(path)) {
    throw new TkError(
      'INVALID_NAME',
      `Invalid OLDB ${what} ${shown(path)}: expected "/" followed by segments of letters, digits, "_" or "-" separated by "/" (e.g. "/root/example/double/sine"), at most ${MAX_PATH_LENGTH} characters`,
      { details: { input: path } },
    );
  }
}

/** Throws unless `path` is `/` or a valid path. */
export function assertNodePath(path: string): void {
  if (path !== '/') assertPath(path, 'node path');
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
