/**
 * A node of a tree browser: {@link TreeNode}, what a front end shows of it,
 * and `NodeState`, the tree's live, mutable state behind it (its listed
 * children, the listing in flight, its last error), which builds the
 * immutable snapshot again only after something in it changed.
 *
 * @module
 */
import type { WalkNode } from './rows.js';

/** One node as a front end shows it. Immutable: a new object when something in it changes. */
export interface TreeNode {
  /** Stable id within the tree: the full name. */
  readonly id: string;
  /** The text to show: the last segment of the name. */
  readonly name: string;
  /** Full name (a URI). */
  readonly fullName: string;
  /** Whether it has children to browse (a device, an OLDB node). */
  readonly container: boolean;
  /** Whether it is an attribute with a value ({@link TreeController.display} works for it). */
  readonly attribute: boolean;
  /** Whether the user expanded it. */
  readonly expanded: boolean;
  /** Whether its children are being listed. */
  readonly loading: boolean;
  /** Whether its children were listed (then `childCount` says how many). */
  readonly loaded: boolean;
  /** Number of children once listed, else `undefined`. */
  readonly childCount: number | undefined;
  /** Why the last listing failed (the node keeps its previous children). */
  readonly error: Error | undefined;
}

/** @internal the live state of one node; `snapshot()` is its immutable view, rebuilt after `touch()`. */
export class NodeState implements WalkNode {
  readonly fullName: string;
  readonly name: string;
  container: boolean;
  attribute: boolean;
  expanded = false;
  children: NodeState[] | undefined = undefined;
  loading: Promise<boolean> | undefined = undefined;
  abort: AbortController | undefined = undefined;
  error: Error | undefined = undefined;
  #snap: TreeNode | undefined;

  constructor(fullName: string, name: string, container: boolean, attribute: boolean) {
    this.fullName = fullName;
    this.name = name;
    this.container = container;
    this.attribute = attribute;
  }

  touch(): void {
    this.#snap = undefined;
  }

  snapshot(): TreeNode {
    this.#snap ??= {
      id: this.fullName,
      name: this.name,
      fullName: this.fullName,
      container: this.container,
      attribute: this.attribute,
      expanded: this.expanded,
      loading: this.loading !== undefined,
      loaded: this.children !== undefined,
      childCount: this.children?.length,
      error: this.error,
    };
    return this.#snap;
  }
}

/** The last segment of a full name (`cii.oldb:/root/example/double` gives `double`). */
export function lastSegment(fullName: string): string {
  const i = fullName.lastIndexOf('/');
  const s = i < 0 ? fullName : fullName.slice(i + 1);
  return s === '' ? fullName : s;
}
