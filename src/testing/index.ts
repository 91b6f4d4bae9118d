/**
 * `tk-core/testing`: the scheme author's kit. A table runner for names, the
 * scheme conformance suite, leak checks, deterministic clocks, waiting
 * helpers, access to a real scheme's sinks and inputs for the linear-time
 * check of name patterns.
 *
 * It loads without fast-check. The fast-check arbitraries that generate valid
 * and near-miss names from a scheme's regex pieces are in
 * `tk-core/testing/arbitraries` (fast-check is a peer dependency of that
 * subpath only).
 *
 * @packageDocumentation
 */

export { createVirtualClock, type VirtualClock } from '../util/clock.js';
export * from './adversarial.js';
export * from './conformance.js';
export * from './leaks.js';
export * from './name-table.js';
export * from './sink-tap.js';
export * from './test-api.js';
export * from './validators-of.js';
export * from './wait.js';
