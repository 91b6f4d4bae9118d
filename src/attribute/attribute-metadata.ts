/**
 * An attribute's metadata (its {@link AttributeConfig}), built lazily: the
 * defaults until the backend describes the attribute, what its source says
 * when it opens, and what the source sends later. A cold attribute (nobody
 * asked for its configuration yet) builds one configuration object, not
 * three: what the source says at open is kept until the configuration is
 * first needed, and merged then with the backend's first description.
 *
 * @module
 */
import type { AttributeConfig } from '../core/config.js';
import { configChanges, defaultConfig, mergeConfig, openedConfig } from '../core/config.js';
import type { AttributeSource } from '../schemes/contract.js';
import { AttributeStreams } from './attribute-streams.js';

/** The metadata of an {@link AttributeModel}, built when first needed. `T` is the type of its values. */
export abstract class AttributeMetadata<T = unknown> extends AttributeStreams<T> {
  #config: AttributeConfig | undefined;
  /**
   * The source opened while nobody had asked for the configuration yet: what it says at open is
   * merged when the configuration is first needed, with the backend's first description if that
   * comes first (a cold attribute builds one configuration object, not three).
   */
  #openedSource: AttributeSource | undefined;

  /** @internal the metadata, or undefined while nobody described the attribute. */
  protected get configIfKnown(): AttributeConfig | undefined {
    return this.#openedSource === undefined ? this.#config : this.config;
  }

  /** Current metadata (defaults until the backend describes the attribute). */
  get config(): AttributeConfig {
    if (this.#config === undefined) this.#config = this.#firstConfig(undefined);
    return this.#config;
  }

  /** The first configuration object: the defaults, what the opened source says, and `described`. */
  #firstConfig(described: Partial<AttributeConfig> | undefined): AttributeConfig {
    const source = this.#openedSource;
    if (source === undefined) {
      const base = defaultConfig(this.simpleName);
      return described === undefined ? base : mergeConfig(base, described);
    }
    this.#openedSource = undefined;
    return openedConfig(this.simpleName, source.write !== undefined, source.config, described);
  }

  /**
   * @internal what a source just opened says: kept for the first configuration while none was
   * built, else merged now. A source with a write path is writable unless its metadata says otherwise.
   */
  protected takeOpenedConfig(source: AttributeSource): void {
    if (this.#config === undefined && this.#openedSource === undefined) this.#openedSource = source;
    else this.takeConfig({ writable: source.write !== undefined, ...source.config }, false);
  }

  /**
   * @internal merges metadata the backend sent. Returns the new configuration when it changed
   * one that was built, for the caller to announce; `listened`: whether someone listens for its
   * changes (else, while nobody asked for it, the first configuration is built with `patch`).
   */
  protected takeConfig(patch: Partial<AttributeConfig>, listened: boolean): AttributeConfig | undefined {
    if (this.#config === undefined && !listened) {
      // nobody asked for the configuration nor listens for its changes: built once, with this patch
      this.#config = this.#firstConfig(patch);
      return undefined;
    }
    const base = this.config;
    if (!configChanges(base, patch)) return undefined;
    const config = mergeConfig(base, patch);
    this.#config = config;
    return config;
  }
}
