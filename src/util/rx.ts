/**
 * The parts of RxJS tk-core uses at run time, each imported from its own
 * module (`rxjs/internal/*`, in rxjs 7's `exports`) rather than from `rxjs`.
 * In Node, `rxjs` is the CommonJS index that loads all of RxJS: 223
 * modules, about 100-300 ms of `import('tk-core')` for the one class
 * (`Observable`) the model layer needs. These are the very modules that
 * `rxjs` re-exports, under every export condition (`node`/`require`: the
 * CommonJS files, `es2015` and `default`: the ES modules), so an
 * `Observable` from here is the `Observable` of a program's own
 * `import { Observable } from 'rxjs'`: same class, same `pipe`, any operator
 * works on it, and its type is the declaration `rxjs` exports. Only this module, ./rx-subject.ts (what the
 * gateway link uses, apart so that the entries without the link do not load
 * it) and ../cli/rx.ts (the `tk` command) name the internal paths: a major
 * RxJS upgrade changes them there.
 *
 * @module
 */
export { Observable } from 'rxjs/internal/Observable';
