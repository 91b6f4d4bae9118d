export * from './closest-choice.js';
export * from './quote.js';
export * from './tk-error.js';
