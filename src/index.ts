/**
 * tk-core: the headless model layer of a control-system UI toolkit.
 *
 * @packageDocumentation
 */
export * from './errors/index.js';
export * from './model/enums.js';
export * from './units/quantity.js';
export * from './util/clock.js';
export * from './log/logger.js';
export * from './attribute/reading.js';
export * from './schemes/contract.js';
export * from './validators/name-validator.js';
