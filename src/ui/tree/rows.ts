/**
 * The rows a tree shows: a depth-first walk of the loaded nodes, into
 * expanded ones, filtered by name. A filter keeps a node whose name matches,
 * the ancestors that lead to it (shown open, so the match is in sight), and
 * the subtree of a matching node as its own expansion states say.
 *
 * @module
 */

/** What the walk needs of a node. */
export interface WalkNode {
  /** Text the filter matches against. */
  readonly name: string;
  /** Whether the user expanded it. */
  readonly expanded: boolean;
  /** Loaded children, or `undefined` when not loaded. */
  readonly children: readonly WalkNode[] | undefined;
}

/** A compiled name filter: `undefined` when empty (everything matches). */
export type NameFilter = ((name: string) => boolean) | undefined;

/**
 * Compiles a filter text: case-insensitive; `*` matches any run of
 * characters and `?` one character; without wildcards the text matches
 * anywhere in the name.
 */
export function compileNameFilter(text: string): NameFilter {
  const t = text.trim();
  if (t === '') return undefined;
  if (!/[*?]/.test(t)) {
    const needle = t.toLowerCase();
    return (name) => name.toLowerCase().includes(needle);
  }
  const source = t
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${source}$`, 'i');
  return (name) => re.test(name);
}

/** One visible row: the node, its depth, and whether its children are shown. */
export interface WalkRow<N extends WalkNode> {
  /** The node. */
  readonly node: N;
  /** Ancestors between it and the first row's level. */
  readonly depth: number;
  /** Whether its children follow (expanded by the user, or opened to reveal a match). */
  readonly open: boolean;
  /** Whether its own name matches the filter (always true without one). */
  readonly match: boolean;
}

/**
 * The visible rows under `root`: the root itself first when `showRoot`
 * (else its loaded children start at depth 0, shown whether or not the root
 * is expanded).
 */
export function visibleRows<N extends WalkNode>(
  root: N,
  filter: NameFilter,
  showRoot: boolean,
): WalkRow<N>[] {
  const rows: WalkRow<N>[] = [];
  const memo = new Map<WalkNode, boolean>();
  // whether a loaded descendant of n matches (only asked when a filter is set)
  const below = (n: WalkNode): boolean => {
    let r = memo.get(n);
    if (r !== undefined) return r;
    r = false;
    for (const c of n.children ?? []) {
      if (filter!(c.name) || below(c)) {
        r = true;
        break;
      }
    }
    memo.set(n, r);
    return r;
  };
  const visit = (n: N, depth: number, inMatch: boolean): void => {
    const self = filter === undefined || filter(n.name);
    const reveal = filter !== undefined && !inMatch && !self && below(n);
    if (filter !== undefined && !inMatch && !self && !reveal) return;
    const open = n.children !== undefined && (n.expanded || reveal);
    rows.push({ node: n, depth, open, match: self });
    if (open) walkChildren(n, depth + 1, inMatch || (filter !== undefined && self));
  };
  const walkChildren = (n: N, depth: number, inMatch: boolean): void => {
    for (const c of (n.children ?? []) as readonly N[]) visit(c, depth, inMatch);
  };
  if (showRoot) visit(root, 0, false);
  else walkChildren(root, 0, false);
  return rows;
}
