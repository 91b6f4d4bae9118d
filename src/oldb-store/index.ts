/**
 * `tk-core/oldb`: the online database (OLDB) store layer: the
 * {@link OldbStore} interface, the Redis store, the embedded in-process
 * store, the limits logic and the example producer.
 *
 * @packageDocumentation
 */

export * from './embedded-store.js';
export * from './errors.js';
export * from './example-producer.js';
export * from './limits.js';
export * from './migrate.js';
export * from './notification.js';
export * from './path.js';
export * from './redis-scripts.js';
export * from './redis-store.js';
export * from './redis-url.js';
export * from './store-errors.js';
export * from './stored-data.js';
export * from './types.js';
export * from './values.js';
export * from './watch-registry.js';
