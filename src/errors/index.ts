export * from './tk-error.js';
