/**
 * `tk-core/testing/arbitraries`: fast-check arbitraries for any scheme's
 * names, generated from the regex pieces of its validators (valid names and
 * near misses). The one part of the kit that needs fast-check, a peer
 * dependency: `tk-core/testing` itself loads without it.
 *
 * @packageDocumentation
 */

export * from './name-arbitraries.js';
