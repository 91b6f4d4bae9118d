/**
 * `createTree(root)`: the model behind a browser of a scheme's namespace (an
 * OLDB browser, Taurus's tree models). Children load lazily through the
 * scheme's listing when a node is first expanded; nodes expand and collapse;
 * a filter works by name; each attribute leaf offers a display controller.
 *
 * @module
 */
import type { AuthorityModel } from '../../authority/authority.js';
import type { DeviceModel } from '../../device/device.js';
import { requireDefaultManager } from '../../manager/default-slot.js';
import type { Manager } from '../../manager/manager.js';
import type { SchemeChild } from '../../schemes/contract.js';
import { createDisplay, type DisplayController, type DisplayOptions } from '../display/display.js';
import { Controller } from '../store/controller.js';
import { compileNameFilter, type NameFilter, visibleRows } from './rows.js';
import { lastSegment, NodeState, type TreeNode } from './tree-node.js';
import { resolveRoot } from './tree-root.js';

/** Options of {@link createTree}. */
export interface TreeOptions {
  /** The manager that resolves names (default: the default manager, when there is one, as for the other controllers). */
  readonly manager?: Manager | undefined;
  /** Whether the root is the first row (default `true`); without it, its children start at depth 0. */
  readonly showRoot?: boolean | undefined;
  /** Load and expand the root at once (default `true`). */
  readonly expandRoot?: boolean | undefined;
  /** The initial filter text (see {@link TreeController.setFilter}). */
  readonly filter?: string | undefined;
}

/** A visible row. Keeps its identity while its node, depth, open state and match stay the same. */
export interface TreeRow {
  /** The node. */
  readonly node: TreeNode;
  /** Indentation level (0 for the first level shown). */
  readonly depth: number;
  /** Whether its children are shown below it (expanded, or opened by the filter to reveal a match). */
  readonly open: boolean;
  /** Whether its name matches the filter (true without a filter; false for an ancestor shown for a match). */
  readonly match: boolean;
}

/** The snapshot of a {@link TreeController}. */
export interface TreeSnapshot {
  /** The root node. */
  readonly root: TreeNode;
  /** The visible rows, in order (for list and virtual-list renderers). */
  readonly rows: readonly TreeRow[];
  /** The filter text. */
  readonly filter: string;
  /** Listings in flight. */
  readonly loading: number;
}

/** Options of {@link TreeController.expandAll}. */
export interface ExpandAllOptions {
  /** Levels below the root to load (default: all). */
  readonly maxDepth?: number | undefined;
  /** Most nodes to list in all (default 10,000): a bound for very large namespaces. */
  readonly limit?: number | undefined;
  /** Stops loading more. */
  readonly signal?: AbortSignal | undefined;
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * A lazily loaded tree of a scheme's namespace. Listing failures never
 * reject: they become the node's `error`.
 */
export class TreeController extends Controller<TreeSnapshot> {
  readonly #manager: Manager;
  readonly #rootModel: DeviceModel | AuthorityModel;
  readonly #hold: { dispose(): void };
  readonly #root: NodeState;
  readonly #nodes = new Map<string, NodeState>();
  readonly #showRoot: boolean;
  readonly #rows = new Map<string, TreeRow>();
  readonly #displays = new Set<DisplayController>();
  #filterText = '';
  #filter: NameFilter;
  #loading = 0;

  /** @internal use {@link createTree}. */
  constructor(root: string | DeviceModel | AuthorityModel, options: TreeOptions = {}) {
    const manager = options.manager ?? requireDefaultManager('createTree');
    const model = resolveRoot(root, manager);
    const node = new NodeState(model.fullName, lastSegment(model.simpleName), true, false);
    super({ root: node.snapshot(), rows: [], filter: '', loading: 0 });
    this.#manager = manager;
    this.#rootModel = model;
    this.#hold = model.hold();
    this.#root = node;
    this.#nodes.set(node.fullName, node);
    this.#showRoot = options.showRoot ?? true;
    this.#filterText = options.filter ?? '';
    this.#filter = compileNameFilter(this.#filterText);
    this.#publish();
    if (options.expandRoot ?? true) void this.expand(node.fullName);
  }

  /** The manager the tree lists through. */
  get manager(): Manager {
    return this.#manager;
  }

  /** The node with this id, or `undefined`. */
  node(id: string): TreeNode | undefined {
    return this.#nodes.get(id)?.snapshot();
  }

  /** The listed children of a node (`undefined` until listed or for an unknown id). */
  children(id: string): readonly TreeNode[] | undefined {
    return this.#nodes.get(id)?.children?.map((c) => c.snapshot());
  }

  /**
   * A display controller ({@link createDisplay}) of an attribute leaf, in the
   * tree's manager. The caller owns it and disposes it when the row goes out
   * of sight; those still alive are disposed with the tree. Throws a
   * TypeError for an id that is not an attribute node of this tree, and what
   * `createDisplay` throws for bad options.
   */
  display(id: string, options: Omit<DisplayOptions, 'manager'> = {}): DisplayController {
    const n = this.#nodes.get(id);
    if (n === undefined || !n.attribute) {
      throw new TypeError(
        `display(${JSON.stringify(id)}): ${n === undefined ? 'no node of this tree has that id' : 'that node is not an attribute (it only holds children)'}; give the id of a row whose node.attribute is true`,
      );
    }
    if (this.disposed) throw new TypeError(`display(${JSON.stringify(id)}): the tree was disposed`);
    for (const d of this.#displays) if (d.disposed) this.#displays.delete(d);
    const d = createDisplay(n.fullName, { ...options, manager: this.#manager });
    this.#displays.add(d);
    return d;
  }

  /**
   * Expands a node, listing its children first if they were not listed.
   * Resolves `true` once they are shown, `false` for an unknown id, a node
   * that is not a container, or a failed listing (see the node's `error`).
   */
  expand(id: string): Promise<boolean> {
    const n = this.#nodes.get(id);
    if (n === undefined || !n.container || this.disposed) return Promise.resolve(false);
    if (!n.expanded) {
      n.expanded = true;
      n.touch();
      this.#publish();
    }
    if (n.children !== undefined && n.loading === undefined) return Promise.resolve(true);
    return this.#load(n);
  }

  /** Collapses a node (its children stay listed). Returns whether the id is known. */
  collapse(id: string): boolean {
    const n = this.#nodes.get(id);
    if (n === undefined) return false;
    if (n.expanded) {
      n.expanded = false;
      n.touch();
      this.#publish();
    }
    return true;
  }

  /** Expands a collapsed node or collapses an expanded one. */
  toggle(id: string): Promise<boolean> {
    const n = this.#nodes.get(id);
    if (n?.expanded) return Promise.resolve(this.collapse(id));
    return this.expand(id);
  }

  /**
   * Lists a node's children again (default: the root), then those of every
   * listed descendant that is expanded. Nodes still present keep their state.
   */
  async refresh(id: string = this.#root.fullName): Promise<boolean> {
    const n = this.#nodes.get(id);
    if (n === undefined || !n.container || this.disposed) return false;
    n.abort?.abort();
    n.loading = undefined;
    const ok = await this.#load(n);
    const again = (n.children ?? []).filter((c) => c.expanded && c.children !== undefined);
    const results = await Promise.all(again.map((c) => this.refresh(c.fullName)));
    return ok && results.every(Boolean);
  }

  /**
   * Sets the name filter: case-insensitive; `*` and `?` are wildcards over
   * the whole name, else the text matches anywhere in it. Only listed nodes
   * are searched: {@link expandAll} lists the rest.
   */
  setFilter(text: string): void {
    if (typeof text !== 'string') {
      throw new TypeError(`setFilter(text): text must be a string, got ${typeof text}`);
    }
    if (text === this.#filterText) return;
    this.#filterText = text;
    this.#filter = compileNameFilter(text);
    this.#publish();
  }

  /**
   * Lists and expands every container down to `maxDepth` levels below the
   * root, a few listings at a time, at most `limit` of them. Resolves `true`
   * when every listing succeeded.
   */
  async expandAll(options: ExpandAllOptions = {}): Promise<boolean> {
    const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
    let budget = options.limit ?? 10_000;
    let ok = true;
    let level: NodeState[] = [this.#root];
    for (let depth = 0; level.length > 0 && depth <= maxDepth && !this.disposed; depth++) {
      const next: NodeState[] = [];
      for (let i = 0; i < level.length; i += 8) {
        if (options.signal?.aborted || budget <= 0) return false;
        const batch = level.slice(i, i + Math.min(8, budget));
        budget -= batch.length;
        const results = await Promise.all(batch.map((n) => this.expand(n.fullName)));
        ok &&= results.every(Boolean);
        for (const n of batch) for (const c of n.children ?? []) if (c.container) next.push(c);
      }
      level = next;
    }
    return ok;
  }

  #load(n: NodeState): Promise<boolean> {
    if (n.loading !== undefined) return n.loading;
    const abort = new AbortController();
    n.abort = abort;
    this.#loading++;
    let done: Promise<boolean> | undefined;
    done = (async (): Promise<boolean> => {
      try {
        const model = n === this.#root ? this.#rootModel : this.#manager.device(n.fullName);
        const entries = await model.childEntries({ signal: abort.signal });
        if (abort.signal.aborted || this.disposed) return false;
        this.#adopt(n, entries);
        n.error = undefined;
        return true;
      } catch (err) {
        if (abort.signal.aborted || this.disposed) return false;
        n.error = asError(err);
        return false;
      } finally {
        if (n.loading === done) {
          n.loading = undefined;
          n.abort = undefined;
        }
        this.#loading--;
        n.touch();
        this.#publish();
      }
    })();
    n.loading = done;
    n.touch();
    this.#publish();
    return done;
  }

  /** Makes `entries` the children of `n`, keeping the state of those already there. */
  #adopt(n: NodeState, entries: readonly SchemeChild[]): void {
    const old = new Map((n.children ?? []).map((c) => [c.fullName, c]));
    const next: NodeState[] = [];
    for (const e of entries) {
      const id = e.fullName;
      if (typeof id !== 'string' || id === '') continue;
      let c = old.get(id);
      if (c !== undefined) {
        old.delete(id);
        if (c.container !== e.container || c.attribute !== e.attribute) {
          c.container = e.container;
          c.attribute = e.attribute;
          c.touch();
        }
      } else {
        // the same name twice, or a name already elsewhere in the tree (a cycle): shown once
        if (this.#nodes.has(id)) continue;
        c = new NodeState(id, lastSegment(id), e.container === true, e.attribute === true);
        this.#nodes.set(id, c);
      }
      next.push(c);
    }
    for (const gone of old.values()) this.#forget(gone);
    n.children = next;
  }

  #forget(n: NodeState): void {
    n.abort?.abort();
    this.#nodes.delete(n.fullName);
    for (const c of n.children ?? []) this.#forget(c);
  }

  #publish(): void {
    if (this.disposed) return;
    const walk = visibleRows(this.#root, this.#filter, this.#showRoot);
    const prev = this.getSnapshot().rows;
    const rows: TreeRow[] = [];
    let same = walk.length === prev.length;
    for (let i = 0; i < walk.length; i++) {
      const w = walk[i]!;
      const node = w.node.snapshot();
      let row = this.#rows.get(node.id);
      if (
        row === undefined ||
        row.node !== node ||
        row.depth !== w.depth ||
        row.open !== w.open ||
        row.match !== w.match
      ) {
        row = { node, depth: w.depth, open: w.open, match: w.match };
        this.#rows.set(node.id, row);
      }
      if (same && prev[i] !== row) same = false;
      rows.push(row);
    }
    if (this.#rows.size > 2 * rows.length + 64) {
      const shown = new Set(rows.map((r) => r.node.id));
      for (const id of this.#rows.keys()) if (!shown.has(id)) this.#rows.delete(id);
    }
    this.publish({
      root: this.#root.snapshot(),
      rows: same ? prev : rows,
      filter: this.#filterText,
      loading: this.#loading,
    });
  }

  /** Stops listings and lets go of the root. */
  protected onDispose(): void {
    for (const n of this.#nodes.values()) n.abort?.abort();
    for (const d of this.#displays) d.dispose();
    this.#displays.clear();
    this.#hold.dispose();
  }
}

/**
 * Creates the model of a tree browser rooted at a device or authority (for
 * example `cii.oldb:/root`, or `loc://local`). The root is listed at once
 * unless `expandRoot: false`; other nodes are listed when first expanded.
 *
 * @example
 * ```ts
 * const tree = createTree('cii.oldb:/root', { manager });
 * tree.subscribe(({ rows }) => render(rows)); // each row: node (name, container, attribute, ...), depth, open
 * await tree.expand('cii.oldb:/root/example');
 * tree.setFilter('sine');
 * tree.dispose();
 * ```
 */
export function createTree(
  root: string | DeviceModel | AuthorityModel,
  options?: TreeOptions,
): TreeController {
  return new TreeController(root, options);
}
