/**
 * The lifetime of a model object, in one place (TanStack Query's
 * `Removable`, for a manager's attributes, devices and authorities): how many
 * users it has, when the release queue will release it, the spellings its
 * cache finds it by, and whether it is released. Models extend it; no other
 * class writes these fields, except the queue (`releaseAt`) and the cache
 * (`spellings`), which own them.
 *
 * The verbs:
 * - {@link Lifetime.enter} / {@link Lifetime.leave}: a user comes or goes (a
 *   subscriber, a `hold()` handle, a read or write in flight). The first user
 *   cancels a pending release and brings a released model back into its
 *   cache; when the last one leaves, the release waits for the grace period.
 * - {@link Lifetime.hold}: a user as a handle, for programs.
 * - {@link Lifetime.created}: the factory made the model: it waits for a first
 *   user for the grace period (with none, it is released at once).
 * - {@link Lifetime.found}: the factory handed the model out again: a released
 *   model comes back into its cache, and an unused one waits for release anew.
 * - {@link Lifetime.release}: the queue's call when the grace period is over:
 *   frees the model's resources ({@link Lifetime.free}) and moves it out of
 *   the live cache (held weakly from then on). Nothing while it has users.
 * - {@link Lifetime.end}: the manager is disposed: released whatever its users.
 *
 * A released model stays usable: the next user revives it, and it reopens
 * its resources on demand.
 *
 * @module
 */
import type { Releasable, ReleaseQueue } from './release-queue.js';

/** A handle that keeps a model from being released; see {@link Lifetime.hold}. */
export interface ModelHandle extends Disposable {
  /** Lets the model go (idempotent). */
  dispose(): void;
}

/** {@link Lifetime.releaseAt} of a released model: below zero, so the release queue sees it as not scheduled. */
export const RELEASED = -2;

/** The cache a lifetime reports to (a `ModelCache`). */
export interface LifetimeCache {
  /** The manager's release queue. */
  readonly queue: ReleaseQueue;
  /** Makes a released model live again. */
  revive(model: Lifetime): void;
  /** Moves a released model out of the live set. */
  forget(model: Lifetime): void;
  /** Adds a new model to the live set. */
  add(model: Lifetime): void;
  /** Adds a new model as released: held weakly from the start. */
  addReleased(model: Lifetime): void;
}

/** A model object's lifetime: users, release time, cached spellings, released or not. */
export abstract class Lifetime implements Releasable {
  /** The canonical full name: the cache key and the release key. */
  abstract readonly fullName: string;
  /** @internal how many users hold the model now (subscribers, handles, reads and writes in flight). */
  users = 0;
  /**
   * @internal when the release queue releases the model (clock ms, set by
   * the queue), -1 when it is not scheduled, {@link RELEASED} once released
   * (until the next user or lookup). One field for both, so that the many
   * idle objects of a large cache stay small.
   */
  releaseAt = -1;
  /** @internal owned by the cache: the spellings it finds the model by while it is live. */
  spellings: string | string[] | undefined = undefined;
  /**
   * @internal owned by the cache: the weak reference it holds the model by
   * once released, made at the first release and kept (a model released and
   * revived again and again costs no new reference each time).
   */
  weakSelf: WeakRef<Lifetime> | undefined = undefined;

  /** @internal the cache of the model's element type (from the manager's services, not a field). */
  protected abstract get lifetimeCache(): LifetimeCache;

  /** @internal whether the model is released (from its release until the next user or lookup). */
  get released(): boolean {
    return this.releaseAt === RELEASED;
  }

  /** @internal frees the model's own resources when it is released (an attribute closes its source). */
  protected abstract free(): void;

  /** Keeps this model from being released until the handle is disposed. Does not connect. */
  hold(): ModelHandle {
    this.enter();
    let done = false;
    const dispose = () => {
      if (done) return;
      done = true;
      this.leave();
    };
    return { dispose, [Symbol.dispose]: dispose };
  }

  /** @internal a user comes: the first one cancels a pending release and revives a released model. */
  protected enter(): void {
    if (this.users++ === 0) {
      this.lifetimeCache.queue.cancel(this);
      if (this.released) this.#revive();
    }
  }

  /** @internal a user goes: after the last one, the model is released when the grace period is over. */
  protected leave(): void {
    if (this.users > 0 && --this.users === 0) this.lifetimeCache.queue.schedule(this);
  }

  /**
   * @internal the factory created this model: it joins its cache and waits
   * for its first user for the grace period; with none, it is released at
   * once (nothing uses it, and it holds nothing to free yet).
   */
  created(): void {
    const cache = this.lifetimeCache;
    if (cache.queue.gcTime > 0) {
      cache.add(this);
      cache.queue.schedule(this);
    } else {
      this.releaseAt = RELEASED;
      cache.addReleased(this);
    }
  }

  /** @internal the factory handed this model out again. */
  found(): void {
    if (!this.released) return;
    this.#revive();
    if (this.users === 0) this.lifetimeCache.queue.schedule(this);
  }

  /** @internal the grace period is over (or the manager flushes): frees resources, leaves the live cache. */
  release(): void {
    if (this.users > 0 || this.released) return;
    this.free();
    this.releaseAt = RELEASED;
    this.lifetimeCache.forget(this);
  }

  /** @internal the manager is disposed: released whatever its users. */
  end(): void {
    this.users = 0;
    this.release();
  }

  #revive(): void {
    this.releaseAt = -1;
    this.lifetimeCache.revive(this);
  }
}
