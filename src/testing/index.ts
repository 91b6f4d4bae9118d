/**
 * `tk-core/testing`: the scheme author's kit. Arbitraries that generate valid
 * and near-miss names from a scheme's regex pieces, a table runner for names,
 * the scheme conformance suite, deterministic clocks, waiting helpers and
 * access to a real scheme's sinks.
 *
 * fast-check is a peer dependency of this subpath.
 *
 * @packageDocumentation
 */

export { createVirtualClock, type VirtualClock } from '../util/clock.js';
export * from './conformance.js';
export * from './leaks.js';
export * from './name-arbitraries.js';
export * from './name-table.js';
export * from './sink-tap.js';
export * from './test-api.js';
export * from './validators-of.js';
export * from './wait.js';
