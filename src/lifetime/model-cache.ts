/**
 * The factory cache: exactly one model object per canonical full name.
 *
 * Live models (in use, or idle within their grace period) are held strongly
 * and also indexed by the input strings that found them again, so a name
 * looked up again is found with one `Map.get` (the manager does not index the
 * spelling a model was created with: most are never used again, and an entry
 * in a large map is the main cost of a creation). Released models (backend
 * resources freed) are held weakly: while a program still holds one, the same
 * object is found again and revived; once it is garbage, the entry goes.
 * The canonical full name is both the cache key and the release key.
 *
 * Whether a model is live or released is the model's {@link Lifetime}'s
 * decision: the cache only moves it between the two sets when told
 * ({@link ModelCache.revive}, {@link ModelCache.forget}).
 *
 * @module
 */
import type { ElementType } from '../core/enums.js';
import type { Logger } from '../log/logger.js';
import type { Lifetime } from './lifetime.js';
import type { ReleaseQueue } from './release-queue.js';

/** The most input spellings remembered per model (fragments make many). */
const MAX_ALIASES_PER_MODEL = 16;

/** One element type's cache. */
export class ModelCache<T extends Lifetime> {
  /** The element type of its models (named in traces). */
  readonly type: ElementType;
  /** The manager's release queue, which the models' lifetimes schedule themselves on. */
  readonly queue: ReleaseQueue;
  readonly #log: Logger;
  readonly #live = new Map<string, T>();
  readonly #byInput = new Map<string, T>();
  /** Models released at least once, held weakly (a revived one keeps its entry: {@link revive}). */
  readonly #released = new Map<string, WeakRef<T>>();
  /** Input spellings of released models: input -> full name (so using a name again needs no validation). */
  readonly #releasedInputs = new Map<string, string>();
  /** Size of the released map after its last sweep: the next sweep comes when it has doubled. */
  #sweepAt = 1024;

  constructor(type: ElementType, queue: ReleaseQueue, log: Logger) {
    this.type = type;
    this.queue = queue;
    this.#log = log;
  }

  /** The model an input string resolved to before, if it is still live. The hot path. */
  byInput(input: string): T | undefined {
    return this.#byInput.get(input);
  }

  /**
   * The model of a canonical full name, live or released but still
   * referenced; a released one stays released until its lifetime says
   * otherwise ({@link Lifetime.found}).
   */
  find(fullName: string): T | undefined {
    return this.#live.get(fullName) ?? this.#released.get(fullName)?.deref();
  }

  /**
   * The released model an input string resolved to before (undefined: never
   * seen, or garbage-collected since). The spelling is forgotten: the caller
   * remembers it again once the model is live.
   */
  findReleased(input: string): T | undefined {
    const fullName = this.#releasedInputs.get(input);
    if (fullName === undefined) return undefined;
    this.#releasedInputs.delete(input);
    return this.#released.get(fullName)?.deref();
  }

  /** Adds a new model under its full name. */
  add(model: T): void {
    this.#live.set(model.fullName, model);
  }

  /**
   * Adds a new model as released (its lifetime calls this when there is no
   * grace period): held weakly from the start, as {@link add} and an
   * immediate {@link forget} would, without entering the live set.
   */
  addReleased(model: T): void {
    this.#holdWeakly(model);
  }

  /**
   * Makes a released model live again (its lifetime calls this when it is
   * used or found again). Its weak entry stays: the live set is looked at
   * first, and the next release finds the entry in place.
   */
  revive(model: T): void {
    if (this.#live.get(model.fullName) === model) return;
    this.#live.set(model.fullName, model);
  }

  /** Remembers that `input` resolves to `model` (bounded per model). */
  remember(input: string, model: T): void {
    const inputs = model.spellings;
    if (inputs === undefined)
      model.spellings = input; // the common case: one spelling, no array
    else if (typeof inputs === 'string') model.spellings = [inputs, input];
    else if (inputs.length < MAX_ALIASES_PER_MODEL) inputs.push(input);
    else return;
    this.#byInput.set(input, model);
  }

  /** Forgets every input spelling (e.g. when the default scheme changes). */
  forgetInputs(): void {
    for (const m of this.#byInput.values()) m.spellings = undefined;
    this.#byInput.clear();
    this.#releasedInputs.clear();
  }

  /** Forgets every model (the manager is disposed): a disposed manager kept by a program holds none. */
  clear(): void {
    for (const m of this.#live.values()) m.spellings = undefined;
    this.#live.clear();
    this.#byInput.clear();
    this.#released.clear();
    this.#releasedInputs.clear();
  }

  /** Moves a model from the live set to the weakly held set (its lifetime calls this when it is released). */
  forget(model: T): void {
    if (this.#log.tracing) this.#log.trace(() => `release ${this.type} ${model.fullName}`);
    if (this.#live.get(model.fullName) !== model) return;
    this.#live.delete(model.fullName);
    const inputs = model.spellings;
    if (inputs !== undefined) {
      model.spellings = undefined;
      if (typeof inputs === 'string') this.#forgetInput(inputs, model);
      else for (const i of inputs) this.#forgetInput(i, model);
    }
    this.#holdWeakly(model);
  }

  #holdWeakly(model: T): void {
    // one weak reference per model, kept from its first release on
    if (model.weakSelf === undefined) model.weakSelf = new WeakRef(model);
    const ref = model.weakSelf as WeakRef<T>;
    if (this.#released.get(model.fullName) === ref) return;
    this.#released.set(model.fullName, ref);
    if (this.#released.size >= this.#sweepAt) this.#sweep();
  }

  #forgetInput(input: string, model: T): void {
    if (this.#byInput.get(input) !== model) return;
    this.#byInput.delete(input);
    this.#releasedInputs.set(input, model.fullName);
  }

  /**
   * Drops the entries of released models the garbage collector has taken.
   * Run when the map has doubled since the last sweep: amortized O(1) per
   * release, with no finalization callback per object.
   */
  #sweep(): void {
    for (const [key, ref] of this.#released) if (ref.deref() === undefined) this.#released.delete(key);
    for (const [input, fullName] of this.#releasedInputs) {
      if (!this.#released.has(fullName)) this.#releasedInputs.delete(input);
    }
    this.#sweepAt = Math.max(1024, this.#released.size * 2);
  }

  /** Live models. */
  live(): IterableIterator<T> {
    return this.#live.values();
  }

  /** Number of live models. */
  get liveCount(): number {
    return this.#live.size;
  }

  /** Number of released models a program still holds (sweeps first, so it is exact after a GC). */
  get releasedCount(): number {
    this.#sweep();
    let count = 0;
    for (const ref of this.#released.values()) if (ref.deref()?.released === true) count++;
    return count;
  }
}
