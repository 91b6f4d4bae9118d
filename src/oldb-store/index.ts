/**
 * `tk-core/oldb`: the online database (OLDB) store layer: the
 * {@link OldbStore} interface, the Redis store, the embedded in-process
 * store, copying between stores, the limits logic, datapoint paths and
 * values, the store's errors, the Lua scripts (for producers in other
 * languages that write the way the Redis store does) and the example
 * producer.
 *
 * The source folder is `src/oldb-store/`; the `cii.oldb` scheme that serves
 * datapoints as attributes is `src/schemes/oldb/`, exported from `tk-core`.
 *
 * @packageDocumentation
 */

// Internals that `export *` made public before 0.2; kept for one release (CHANGELOG.md).
export * from './deprecated.js';
export {
  createEmbeddedStore,
  type EmbeddedStoreOptions,
  sharedEmbeddedStore,
} from './embedded-store.js';
export { declarationConflict, NotDeclaredError, notDeclared, storeClosed, typeChanged } from './errors.js';
export {
  EXAMPLE_NODE,
  EXAMPLE_PERIOD_S,
  type ExampleProducer,
  type ExampleProducerOptions,
  type ExampleProducerReport,
  exampleQuality,
  SWITCH_PERIOD_MS,
  startExampleProducer,
} from './example-producer.js';
export { findOutOfRange, isBeyond, type LimitState, limitState } from './limits.js';
export { type CopyStoreOptions, type CopyStoreResult, copyStore } from './migrate.js';
export {
  assertNodePath,
  assertPath,
  childPath,
  isValidNodePath,
  isValidPath,
  lastSegment,
  MAX_PATH_LENGTH,
  parentPath,
  pathSegments,
  SEGMENT_CHARS,
} from './path.js';
export { DECLARE_SCRIPT, METADATA_SCRIPT, REMOVE_SCRIPT, WRITE_MANY_SCRIPT } from './redis-scripts.js';
export {
  createRedisStore,
  DEFAULT_HEARTBEAT_TIMEOUT,
  type RedisOldbStore,
  type RedisStoreOptions,
  type RedisStoreStats,
} from './redis-store.js';
export {
  clusterUrl,
  DEFAULT_REDIS_PORT,
  DEFAULT_REDIS_URL,
  parseRedisUrl,
  type RedisHostPort,
  type RedisServer,
  type RedisTopology,
  redactCredentials,
} from './redis-url.js';
export { StoredDataError } from './stored-data.js';
export * from './types.js';
export {
  checkMetadata,
  checkQuality,
  checkTimestamp,
  checkType,
  checkValue,
  elementType,
  isArrayType,
  isMetadataField,
  isNumericType,
  isOldbQuality,
  isOldbType,
  zeroValue,
} from './values.js';
