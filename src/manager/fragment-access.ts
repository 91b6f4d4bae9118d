/**
 * Reading fragments of attributes: one compiled fragment per scheme and
 * fragment text, its value now, and its value as an observable.
 *
 * @module
 */

import type { Observable } from 'rxjs';
import type { AttributeModel } from '../attribute/attribute.js';
import type { FragmentGetter } from '../core/fragment-view.js';
import { quoteInput } from '../errors/quote.js';
import { TkError } from '../errors/tk-error.js';
import { type CompiledFragment, compileFragment } from '../fragments/resolve-fragment.js';
import { READING_FREE_FRAGMENTS } from '../fragments/standard-fragments.js';
import { Observable as RxObservable } from '../util/rx.js';

const COMPILED_LIMIT = 1024;

/** Compiled fragments of a manager. */
export class FragmentCompiler {
  readonly #compiled = new Map<string, CompiledFragment>();

  /** The compiled form of `fragment` for `scheme`, whose backend adds `extra` fragments. */
  compile(
    scheme: string,
    fragment: string,
    extra: () => Readonly<Record<string, FragmentGetter>>,
  ): CompiledFragment {
    const key = `${scheme}#${fragment}`;
    let compiled = this.#compiled.get(key);
    if (compiled === undefined) {
      compiled = compileFragment(fragment, extra());
      if (this.#compiled.size >= COMPILED_LIMIT) this.#compiled.clear();
      this.#compiled.set(key, compiled);
    }
    return compiled;
  }
}

/** The value of a fragment now, reading the attribute first when the fragment needs a value. */
export async function fragmentValue(
  attr: AttributeModel,
  compiled: CompiledFragment,
  options: { signal?: AbortSignal; cache?: boolean },
): Promise<unknown> {
  if (!READING_FREE_FRAGMENTS.has(compiled.key) || !attr.isOpen) await attr.read(options);
  return compiled.apply({ names: attr.names, config: attr.config, reading: attr.reading });
}

/** The value of a fragment as an observable: the current value at once, then every change. */
export function fragmentObservable(attr: AttributeModel, compiled: CompiledFragment): Observable<unknown> {
  return new RxObservable<unknown>((subscriber) => {
    let last: unknown = NOTHING;
    const push = () => {
      let v: unknown;
      try {
        v = compiled.apply({ names: attr.names, config: attr.config, reading: attr.reading });
      } catch (err) {
        subscriber.error(err);
        return;
      }
      if (last !== NOTHING && sameJson(last, v)) return;
      last = v;
      subscriber.next(v);
    };
    const sub = attr.addListener(() => push());
    if (attr.reading !== undefined) push();
    return () => sub.unsubscribe();
  });
}

const NOTHING = Symbol('nothing');

function sameJson(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

/** The error of a fragment access to a name without a fragment. */
export function noFragmentError(uri: string): TkError {
  return new TkError(
    'UNKNOWN_FRAGMENT',
    `${quoteInput(uri)} has no fragment: append one such as #label or #rvalue.units`,
    {
      details: { input: uri },
    },
  );
}
