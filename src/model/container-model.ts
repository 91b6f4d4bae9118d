/**
 * Common base of devices and authorities: names and children. Their lifetime
 * is a {@link Lifetime} with nothing of their own to free (they hold no
 * backend resources).
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';
import { Lifetime, type LifetimeCache } from '../lifetime/lifetime.js';

import type { SchemeChild } from '../schemes/contract.js';
import type { ModelNames, NameValidator } from '../validators/name-validator.js';
import type { ModelHost, SchemeRuntime } from './host.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** A device or an authority. */
export abstract class ContainerModel extends Lifetime {
  /** Complete, canonical URI. */
  readonly fullName: string;
  /** @internal */
  protected readonly host: ModelHost;
  /** @internal */
  protected readonly schemeRuntime: SchemeRuntime;
  #names: ModelNames | undefined;

  /** @internal created by the manager's factory only. */
  constructor(host: ModelHost, scheme: SchemeRuntime, fullName: string) {
    super();
    this.host = host;
    this.schemeRuntime = scheme;
    this.fullName = fullName;
  }
  /** @internal */
  protected get lifetimeCache(): LifetimeCache {
    return this.host.kinds[this.elementType].cache;
  }

  /** Element type. */
  abstract readonly elementType: 'Device' | 'Authority';
  /** @internal */
  protected abstract validator(): NameValidator;

  /** The scheme. */
  get scheme(): string {
    return this.schemeRuntime.scheme;
  }

  /** All three names. */
  get names(): ModelNames {
    if (this.#names === undefined) {
      this.#names = this.validator().getNames(this.fullName) ?? {
        fullName: this.fullName,
        normalName: this.fullName,
        simpleName: this.fullName,
      };
    }
    return this.#names;
  }

  /** Unambiguous within the scheme. */
  get normalName(): string {
    return this.names.normalName;
  }

  /** Short display name. */
  get simpleName(): string {
    return this.names.simpleName;
  }

  /**
   * Full names of the children (devices under an authority or a device path,
   * attributes of a device), for schemes whose backend can list them;
   * rejects with NOT_FOUND-coded TkError otherwise.
   */
  async children(options: { signal?: AbortSignal } = {}): Promise<readonly string[]> {
    this.host.assertOpen('listing', this.fullName);
    const backend = this.schemeRuntime.backend();
    if (backend.listChildren === undefined) {
      throw new TkError(
        'NOT_FOUND',
        `The ${this.scheme} scheme cannot list the children of ${this.fullName}`,
        {
          details: { name: this.fullName },
        },
      );
    }
    return backend.listChildren(this.fullName, options);
  }

  /**
   * The children with what each one is: a container to browse, an attribute
   * to read, or both (the scheme says when it knows; otherwise each child is
   * judged by the names its scheme accepts). Rejects as {@link children} does.
   */
  async childEntries(options: { signal?: AbortSignal } = {}): Promise<readonly SchemeChild[]> {
    this.host.assertOpen('listing', this.fullName);
    const backend = this.schemeRuntime.backend();
    if (backend.listChildEntries !== undefined) return backend.listChildEntries(this.fullName, options);
    const names = await this.children(options);
    const v = this.schemeRuntime.validators;
    return names.map((fullName) => ({
      fullName,
      container: v.device.isValid(fullName),
      attribute: v.attribute.isValid(fullName),
    }));
  }

  /** @internal a container holds nothing to free. */
  protected free(): void {}

  /** `Device<full name>`. */
  override toString(): string {
    return `${this.elementType}<${this.fullName}>`;
  }

  /** `{ elementType, fullName, normalName, simpleName }`. */
  toJSON(): Record<string, unknown> {
    return { elementType: this.elementType, ...this.names };
  }

  /** Node's `util.inspect` shows {@link toString}. */
  [INSPECT](): string {
    return this.toString();
  }
}
