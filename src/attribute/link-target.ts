/**
 * What an attribute gives the source it opens: the target (its names) and
 * the sink (where the source reports). See `AttributeLink`.
 *
 * @module
 */
import type { AttributeConfig } from '../core/config.js';
import type { ConnectionState } from '../core/enums.js';
import type { ReadingInit } from '../core/reading.js';
import type { SchemeRuntime } from '../model/host.js';
import type { AttributeSink, AttributeSource, AttributeTarget } from '../schemes/contract.js';
import type { ModelNames, UriGroups } from '../validators/name-validator.js';
import type { AttributeLink } from './attribute-link.js';
import type { AttributeState } from './attribute-state.js';

/**
 * What a backend opens: the attribute's names, and the groups of its full
 * name, matched when the backend first asks for them (a backend that needs
 * only the names costs no match of the name).
 */
export class OpenTarget implements AttributeTarget {
  readonly fullName: string;
  readonly normalName: string;
  readonly simpleName: string;
  readonly fragment: string | undefined;
  readonly #runtime: SchemeRuntime;
  #groups: UriGroups | undefined = undefined;

  constructor(names: ModelNames, runtime: SchemeRuntime) {
    this.fullName = names.fullName;
    this.normalName = names.normalName;
    this.simpleName = names.simpleName;
    this.fragment = names.fragment;
    this.#runtime = runtime;
  }

  get groups(): UriGroups {
    if (this.#groups === undefined) {
      this.#groups =
        this.#runtime.validators.attribute.getUriGroups(this.fullName) ?? ({ __STRICT__: true } as UriGroups);
    }
    return this.#groups;
  }
}

/**
 * The sink an attribute gives the source it opens: it passes what the source
 * reports to the attribute, and ignores it once that source is closed or
 * replaced (it binds to the attribute's source at its first call; a call
 * while the source is being created, before it is known, is ignored too).
 * One small object per source: its methods are shared.
 */
export class LinkSink implements AttributeSink {
  readonly #link: AttributeLink<unknown>;
  readonly #state: AttributeState;
  #source: AttributeSource | undefined = undefined;

  constructor(link: AttributeLink<unknown>, state: AttributeState) {
    this.#link = link;
    this.#state = state;
  }

  #current(): boolean {
    const open = this.#state.source;
    if (this.#source === undefined) this.#source = open;
    return this.#source !== undefined && open === this.#source;
  }

  reading(init: ReadingInit): void {
    if (this.#current()) this.#link.sinkReading(init);
  }

  config(patch: Partial<AttributeConfig>): void {
    if (this.#current()) this.#link.sinkConfig(patch);
  }

  error(err: unknown): void {
    if (this.#current()) this.#link.sinkError(err);
  }

  connection(connection: ConnectionState, err?: unknown): void {
    if (this.#current()) this.#link.sinkConnection(connection, err);
  }
}
