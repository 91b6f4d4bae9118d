/**
 * What an attribute shows without I/O: its names, its metadata and how it
 * prints. The base of {@link AttributeModel}, which adds the lifecycle, the
 * read and write paths and the streams.
 *
 * @module
 */

import type { AttributeConfig, Limits } from '../core/config.js';
import type { ConnectionState, DataFormat, DataType } from '../core/enums.js';
import { formatValue } from '../core/format.js';
import { dataFormatOf, dataTypeOf, type Reading } from '../core/reading.js';
import type { DeviceModel } from '../device/device.js';
import { Lifetime, type LifetimeCache } from '../lifetime/lifetime.js';

import type { ModelHost, SchemeRuntime } from '../model/host.js';
import type { ModelNames } from '../validators/name-validator.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Names, metadata and display of an attribute (see {@link AttributeModel}); `T` is the type of its values. */
export abstract class AttributeView<T = unknown> extends Lifetime {
  /** Complete, canonical URI: the identity of this attribute. */
  readonly fullName: string;
  /** @internal the manager's services. */
  protected readonly host: ModelHost;
  /** @internal the scheme as the manager registered it. */
  protected readonly runtime: SchemeRuntime;
  #names: ModelNames | undefined;

  /**
   * @internal `names`: what the manager found when it validated the name,
   * when it was given in its canonical spelling (so that they need not be
   * found again from the full name).
   */
  constructor(host: ModelHost, runtime: SchemeRuntime, fullName: string, names?: ModelNames) {
    super();
    this.host = host;
    this.runtime = runtime;
    this.fullName = fullName;
    this.#names = names;
  }
  /** @internal */
  protected get lifetimeCache(): LifetimeCache {
    return this.host.kinds.Attribute.cache;
  }

  /** Current metadata. */
  abstract get config(): AttributeConfig;
  /** The latest reading, if any (no I/O). */
  abstract get reading(): Reading<T> | undefined;
  /** Connection state of the backend for this attribute. */
  abstract get connectionState(): ConnectionState;
  /** Number of live subscribers. */
  abstract get subscriberCount(): number;

  // ---------------------------------------------------------------- names

  /** The scheme of this attribute. */
  get scheme(): string {
    return this.runtime.scheme;
  }

  /** All three names. */
  get names(): ModelNames {
    if (this.#names === undefined) {
      const n = this.runtime.validators.attribute.getNames(this.fullName);
      this.#names = n ?? { fullName: this.fullName, normalName: this.fullName, simpleName: this.fullName };
    }
    return this.#names;
  }

  /** Unambiguous within the scheme, defaults stripped. */
  get normalName(): string {
    return this.names.normalName;
  }

  /** Short display name. */
  get simpleName(): string {
    return this.names.simpleName;
  }

  /** Full name of the device this attribute belongs to, or undefined when the scheme has none. */
  get parentName(): string | undefined {
    return this.runtime.validators.attribute.getParentName(this.fullName) ?? undefined;
  }

  /** The device this attribute belongs to (Taurus's parent object), when the scheme has one. */
  get parent(): DeviceModel | undefined {
    const p = this.parentName;
    return p === undefined ? undefined : (this.host.container(p, 'Device') as DeviceModel);
  }

  // ---------------------------------------------------------------- metadata

  /** Short human label. */
  get label(): string {
    return this.config.label;
  }
  /** Description. */
  get description(): string {
    return this.config.description;
  }
  /** Whether {@link AttributeModel.write} is possible. */
  get writable(): boolean {
    return this.config.writable;
  }
  /** Value type: declared by the backend, else derived from the latest reading. */
  get type(): DataType | undefined {
    return (
      this.config.type ?? (this.reading && !this.reading.error ? dataTypeOf(this.reading.rvalue) : undefined)
    );
  }
  /** Value shape: declared by the backend, else derived from the latest reading. */
  get dataFormat(): DataFormat | undefined {
    return (
      this.config.dataFormat ??
      (this.reading && !this.reading.error ? dataFormatOf(this.reading.rvalue) : undefined)
    );
  }
  /** Units of numeric values (`''` when dimensionless). */
  get units(): string {
    return this.config.units;
  }
  /** Display range. */
  get range(): Limits {
    return this.config.range;
  }
  /** Alarm limits. */
  get alarms(): Limits {
    return this.config.alarms;
  }
  /** Warning limits. */
  get warnings(): Limits {
    return this.config.warnings;
  }
  /** Whether values are numbers (or arrays of numbers). */
  isNumeric(): boolean {
    const t = this.type;
    return t === 'Integer' || t === 'Float';
  }
  /** Whether values are booleans. */
  isBoolean(): boolean {
    return this.type === 'Boolean';
  }

  // ---------------------------------------------------------------- display

  /** `Attribute<full name> value (QUALITY)`. */
  override toString(): string {
    const r = this.reading;
    if (r === undefined) return `Attribute<${this.fullName}> (no reading)`;
    const v = r.error ? `error: ${r.error.message}` : formatValue(r.rvalue);
    return `Attribute<${this.fullName}> ${v} (${r.quality})`;
  }

  /** A plain summary for logs and `--json`. */
  toJSON(): Record<string, unknown> {
    const r = this.reading;
    return {
      fullName: this.fullName,
      label: this.label,
      ...(r
        ? {
            rvalue: r.rvalue,
            quality: r.quality,
            time: r.time,
            ...(r.error ? { error: r.error.message } : {}),
          }
        : {}),
      connection: this.connectionState,
      subscribers: this.subscriberCount,
    };
  }

  /** Node's `util.inspect` shows {@link toString}. */
  [INSPECT](): string {
    return this.toString();
  }
}
