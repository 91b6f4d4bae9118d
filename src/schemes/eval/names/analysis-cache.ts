/**
 * The cache of eval attribute name analyses. Analyses are syntax only (never
 * the validity of references, which depends on the schemes registered), so
 * they are never stale; the cache only bounds memory and work.
 *
 * - Recent names (up to {@link RECENT_MAX_LENGTH} characters) are kept per
 *   syntax (non-strict, strict) in two generations: new analyses go to the
 *   young one; when it is full it becomes the old one and the previous old
 *   one is dropped. No per-entry eviction work.
 * - The last longer name is kept alone (a manager validates, then names).
 * - During the calls on one long name, every analysis made (of its
 *   references, at every level) goes to a scratch map kept with that name:
 *   the next call on the same name reuses it, a call on any other name drops
 *   it. So a 100 kB name with thousands of distinct references does not
 *   flood the recent cache, and its references are analyzed once.
 *
 * @module
 */
import { analyzeEvalAttributeName, type EvalAttributeAnalysis } from './attribute-groups.js';

/** Analyses of names up to this length are kept in the recent cache. */
export const RECENT_MAX_LENGTH = 2048;
/** How many analyses each generation of the recent cache keeps (at most twice as many are kept). */
export const RECENT_MAX_ENTRIES = 512;

/** Kept for a name that is not an eval attribute name (so one `get` tells a hit). */
const NO_MATCH = Symbol('no match');
type Entry = EvalAttributeAnalysis | typeof NO_MATCH;
type Analyses = Map<string, Entry>;

const toEntry = (a: EvalAttributeAnalysis | null): Entry => a ?? NO_MATCH;
const fromEntry = (e: Entry): EvalAttributeAnalysis | null => (e === NO_MATCH ? null : e);

/** Analyses made during the calls on one long name, per syntax (non-strict, strict). */
interface Scratch {
  readonly owner: string;
  readonly analyses: readonly [Analyses, Analyses];
}

/** See the module description. */
export class AnalysisCache {
  readonly #young: [Analyses, Analyses] = [new Map(), new Map()];
  readonly #old: [Analyses, Analyses] = [new Map(), new Map()];
  #lastLong:
    | { readonly name: string; readonly strict: boolean; readonly analysis: EvalAttributeAnalysis | null }
    | undefined;
  /** The scratch of the call in progress, if it is on a long name. */
  #scratch: Scratch | undefined;
  /** The scratch of the last call on a long name, for the next call on the same name. */
  #kept: Scratch | undefined;

  /** The analysis of `name`, from the cache or made now. */
  get(name: string, strict: boolean): EvalAttributeAnalysis | null {
    const g = strict ? 1 : 0;
    const scratch = this.#scratch?.analyses[g];
    if (scratch !== undefined) {
      const hit = scratch.get(name);
      if (hit !== undefined) return fromEntry(hit);
    }
    const a = this.#recent(name, strict, g, scratch === undefined);
    scratch?.set(name, toEntry(a));
    return a;
  }

  /** Marks the start of an outermost call on `name` (nested calls on its references follow). */
  beginCall(name: string): void {
    let scratch: Scratch | undefined;
    if (name.length > RECENT_MAX_LENGTH) {
      const kept = this.#kept;
      scratch =
        kept !== undefined && kept.owner === name ? kept : { owner: name, analyses: [new Map(), new Map()] };
    }
    this.#kept = scratch;
    this.#scratch = scratch;
  }

  /** Marks the end of the outermost call. */
  endCall(): void {
    this.#scratch = undefined;
  }

  #recent(name: string, strict: boolean, g: 0 | 1, keep: boolean): EvalAttributeAnalysis | null {
    if (name.length > RECENT_MAX_LENGTH) {
      const last = this.#lastLong;
      if (last !== undefined && last.strict === strict && last.name === name) return last.analysis;
      const analysis = analyzeEvalAttributeName(name, strict);
      this.#lastLong = { name, strict, analysis };
      return analysis;
    }
    const young = this.#young[g];
    const hit = young.get(name);
    if (hit !== undefined) return fromEntry(hit);
    const entry = this.#old[g].get(name) ?? toEntry(analyzeEvalAttributeName(name, strict));
    if (keep) {
      if (young.size >= RECENT_MAX_ENTRIES) {
        this.#old[g] = young;
        this.#young[g] = new Map([[name, entry]]);
      } else {
        young.set(name, entry);
      }
    }
    return fromEntry(entry);
  }
}
