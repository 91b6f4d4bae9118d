/**
 * The vocabulary of the online database (OLDB): datapoint types, qualities,
 * metadata, samples, change events and the {@link OldbStore} interface that
 * both the Redis store and the embedded in-process store implement.
 *
 * This layer knows nothing of tk-core's model (attributes, readings, Taurus
 * qualities): the `cii.oldb` scheme maps it onto the model.
 *
 * @module
 */

/** The scalar types a datapoint can hold. */
export type OldbScalarType = 'double' | 'integer' | 'boolean' | 'string';

/** A datapoint type: a scalar type or a one-dimensional array of one (`double[]`). */
export type OldbType = OldbScalarType | `${OldbScalarType}[]`;

/** Every {@link OldbType}, in a stable order. */
export const OLDB_TYPES: readonly OldbType[] = [
  'double',
  'integer',
  'boolean',
  'string',
  'double[]',
  'integer[]',
  'boolean[]',
  'string[]',
];

/** The quality the OLDB keeps with every value. */
export type OldbQuality = 'OK' | 'SUSPECT' | 'BAD';

/** Every {@link OldbQuality}, from best to worst. */
export const OLDB_QUALITIES: readonly OldbQuality[] = ['OK', 'SUSPECT', 'BAD'];

/** A datapoint value: a scalar of its type or an array of them. */
export type OldbValue =
  | number
  | boolean
  | string
  | readonly number[]
  | readonly boolean[]
  | readonly string[];

/** A `[low, high]` pair of limits; `null` means no limit on that side. */
export type OldbLimits = readonly [low: number | null, high: number | null];

/** The metadata of a datapoint. Every field is optional. */
export interface OldbMetadata {
  /** Longer human description. */
  readonly description?: string | undefined;
  /** Short human label. */
  readonly label?: string | undefined;
  /**
   * Units of numeric values, in pint's spelling (`V`, `mm`, `kg*m/s^2`; docs/units.md); temperatures as Taurus (pint) means
   * them (`degC` an absolute temperature, `delta_degC` a difference); `''` or absent: dimensionless.
   */
  readonly units?: string | undefined;
  /** Display range; also the range a write through tk-core must respect. */
  readonly range?: OldbLimits | undefined;
  /** Alarm limits: a numeric value outside them reads as ALARM in tk-core. */
  readonly alarms?: OldbLimits | undefined;
  /** Warning limits: a numeric value outside them reads as WARNING in tk-core. */
  readonly warnings?: OldbLimits | undefined;
  /** A printf-like display format hint (`%6.3f`). */
  readonly format?: string | undefined;
  /** Whether clients (tk-core writes) may write the datapoint; true when absent. */
  readonly writable?: boolean | undefined;
}

/** The names of the metadata fields, in a stable order. */
export const OLDB_METADATA_FIELDS = [
  'description',
  'label',
  'units',
  'range',
  'alarms',
  'warnings',
  'format',
  'writable',
] as const;

/** One metadata field name. */
export type OldbMetadataField = (typeof OLDB_METADATA_FIELDS)[number];

/** A value with its timestamp and quality, as stored and notified atomically. */
export interface OldbSample {
  /** The value, of the datapoint's type. */
  readonly value: OldbValue;
  /** Time of the value, milliseconds since the epoch. */
  readonly timestamp: number;
  /** The OLDB quality of the value. */
  readonly quality: OldbQuality;
}

/** Everything known about one datapoint at one instant. */
export interface OldbSnapshot extends OldbSample {
  /** The datapoint path (`/root/example/double/sine`). */
  readonly path: string;
  /** The declared type. */
  readonly type: OldbType;
  /** The metadata. */
  readonly metadata: OldbMetadata;
  /**
   * The store-wide change counter at the last change of this datapoint. It
   * only grows, across every datapoint of one store, so a watcher can tell
   * an old notification from a new one.
   */
  readonly seq: number;
}

/** How to declare a datapoint. */
export interface OldbDeclaration {
  /** The type of its values. */
  readonly type: OldbType;
  /** Its metadata. */
  readonly metadata?: OldbMetadata | undefined;
  /** The initial value; the type's zero (`0`, `false`, `''`, `[]`) when absent. */
  readonly value?: OldbValue | undefined;
  /** The initial timestamp; now when absent. */
  readonly timestamp?: number | undefined;
  /** The initial quality; `OK` when absent. */
  readonly quality?: OldbQuality | undefined;
}

/**
 * What `declare` does when the datapoint exists already:
 * `error` (the default) refuses; `keep` leaves it as it is when the type is the
 * same; `replace` replaces the metadata (and the value when one is given)
 * when the type is the same. A different type is always refused.
 */
export type OldbIfExists = 'error' | 'keep' | 'replace';

/** Options of every store operation. */
export interface OldbCallOptions {
  /** Cancels waiting for the reply (a command already sent may still take effect). */
  readonly signal?: AbortSignal | undefined;
  /** Maximum time to wait for the server, in ms (the store's default when absent). */
  readonly timeout?: number | undefined;
  /**
   * For a write: `acknowledged` (the master applied it) or `replicated` (and
   * replicas confirmed it with `WAIT`); the store's default when absent. The
   * embedded store has no replicas and ignores it. See docs/oldb.md.
   */
  readonly durability?: OldbDurability | undefined;
}

/** What the acknowledgement of a write promises: see {@link OldbCallOptions.durability}. */
export type OldbDurability = 'acknowledged' | 'replicated';

/** A value to write: the timestamp defaults to now and the quality to `OK`. */
export interface OldbWrite {
  /** The new value. */
  readonly value: OldbValue;
  /** Its timestamp (ms since the epoch); now when absent. */
  readonly timestamp?: number | undefined;
  /** Its quality; `OK` when absent. */
  readonly quality?: OldbQuality | undefined;
}

/** What a write acknowledged: the value as stored, with the datapoint's type and the change counter. */
export interface OldbWriteResult extends OldbSample {
  /** The datapoint path. */
  readonly path: string;
  /** The declared type. */
  readonly type: OldbType;
  /** The change counter of this write. */
  readonly seq: number;
}

/** A child of a path node. */
export interface OldbChild {
  /** The last segment (`sine`). */
  readonly name: string;
  /** The full path (`/root/example/double/sine`). */
  readonly path: string;
  /** `node` for an inner node (a device), `datapoint` for a datapoint. */
  readonly kind: 'node' | 'datapoint';
}

/** What a watcher of a datapoint receives. */
export type OldbEvent =
  | {
      /** The current state: the first event of a watch, after a (re)declaration and after every reconnect. */
      readonly kind: 'snapshot';
      /** The datapoint's value and metadata. */
      readonly snapshot: OldbSnapshot;
      /** True when it follows a reconnect (values may have changed unseen during the gap). */
      readonly resync: boolean;
    }
  | {
      /** A new value. */
      readonly kind: 'value';
      /** The datapoint. */
      readonly path: string;
      /** Value, time and quality. */
      readonly sample: OldbSample;
      /** Change counter of the datapoint (orders events). */
      readonly seq: number;
    }
  | {
      /** New metadata (the whole metadata, not a patch). */
      readonly kind: 'metadata';
      /** The datapoint. */
      readonly path: string;
      /** The whole new metadata. */
      readonly metadata: OldbMetadata;
      /** Change counter of the datapoint. */
      readonly seq: number;
    }
  | {
      /** The datapoint was removed. */
      readonly kind: 'removed';
      /** The datapoint. */
      readonly path: string;
      /** Change counter of the datapoint. */
      readonly seq: number;
    }
  | {
      /** The datapoint could not be read (e.g. it is not declared); the watch stays in place. */
      readonly kind: 'error';
      /** The datapoint. */
      readonly path: string;
      /** Why it could not be read. */
      readonly error: Error;
    };

/** Connection state of a store. */
export type OldbConnectionState = 'connecting' | 'connected' | 'disconnected' | 'closed';

/** A connection state change. */
export interface OldbConnectionEvent {
  /** The new state. */
  readonly state: OldbConnectionState;
  /** Why the store is not connected, when it is not. */
  readonly error?: Error | undefined;
}

/** A watch on one datapoint; `unsubscribe()` ends it (twice is harmless). */
export interface OldbSubscription {
  /** Stops the deliveries to this listener. */
  unsubscribe(): void;
}

/**
 * An online database of datapoints. Implemented by the Redis store
 * (`createRedisStore`) and the embedded in-process store
 * (`createEmbeddedStore`), with the same semantics: same path rules, same
 * type checks, same notifications, same change counter.
 */
export interface OldbStore {
  /** `redis` or `embedded`. */
  readonly kind: 'redis' | 'embedded';
  /** A human description of the store without credentials (`redis://127.0.0.1:6379/0`, `embedded`). */
  readonly description: string;
  /** The current connection state. */
  readonly connectionState: OldbConnectionState;
  /** Why the store is not connected (no credentials in it), when it is disconnected. */
  readonly connectionError?: Error | undefined;
  /** Declares a datapoint with its type, metadata and initial value; see {@link OldbIfExists}. */
  declare(
    path: string,
    declaration: OldbDeclaration,
    options?: OldbCallOptions & { readonly ifExists?: OldbIfExists | undefined },
  ): Promise<OldbSnapshot>;
  /** Reads one datapoint: value, timestamp, quality, type and metadata, consistently. Rejects when undeclared. */
  read(path: string, options?: OldbCallOptions): Promise<OldbSnapshot>;
  /** Reads many datapoints in one go; `undefined` for an undeclared one. */
  readMany(paths: readonly string[], options?: OldbCallOptions): Promise<(OldbSnapshot | undefined)[]>;
  /** Writes a value atomically with its timestamp, quality and change notification. Rejects when undeclared or of the wrong type. */
  write(path: string, write: OldbWrite, options?: OldbCallOptions): Promise<OldbWriteResult>;
  /** Changes metadata fields (`undefined` removes a field) atomically with the change notification; returns the whole metadata. */
  updateMetadata(path: string, patch: OldbMetadata, options?: OldbCallOptions): Promise<OldbMetadata>;
  /** Removes a datapoint (and path nodes left empty); resolves false when it did not exist. */
  remove(path: string, options?: OldbCallOptions): Promise<boolean>;
  /** The children of a path node (`/` for the top), sorted by name; empty when there are none. */
  listChildren(path: string, options?: OldbCallOptions): Promise<OldbChild[]>;
  /**
   * Watches a datapoint. The listener first receives a `snapshot` (or an
   * `error` when it cannot be read), then every change, in order, and a new
   * `snapshot` after every reconnect.
   */
  subscribe(path: string, listener: (event: OldbEvent) => void): OldbSubscription;
  /** Listens to connection state changes; returns a function that stops listening. */
  onConnection(listener: (event: OldbConnectionEvent) => void): () => void;
  /** Releases the store; every later call rejects. */
  close(): Promise<void>;
}
