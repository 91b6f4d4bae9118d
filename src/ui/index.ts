/**
 * tk-core/ui: the widget-facing half of the model layer, headless. Controllers
 * turn attributes into snapshots a front end renders (text, colours, pending
 * edits, forms, trends, trees), with the store contract every UI framework
 * binds to (`subscribe` and `getSnapshot`).
 *
 * Browser-safe: no Node built-ins.
 *
 * @packageDocumentation
 */
export { Controller, type ExternalStore, type SnapshotListener, shallowEqual } from './store/controller.js';
