export * from './quote.js';
export * from './tk-error.js';
