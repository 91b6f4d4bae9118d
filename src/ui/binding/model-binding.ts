/**
 * How a UI controller gets and holds its attribute: from an attribute object
 * or a URI (resolved in the manager given, else the default manager), held
 * while the controller lives so the manager does not release it, and let go
 * on dispose. Relative models (Taurus's `useParentModel`) are joined to their
 * parent's name here too.
 *
 * @module
 */
import { AttributeModel, type ModelHandle } from '../../attribute/attribute.js';
import { TkError } from '../../errors/tk-error.js';
import { requireDefaultManager } from '../../manager/default-slot.js';
import type { Manager } from '../../manager/manager.js';
import type { FragmentGetter } from '../../schemes/contract.js';

/**
 * A model as controllers take it: an attribute object, or its URI. `T` is
 * the type of the attribute's values (see {@link AttributeModel}).
 */
export type AttributeInput<T = unknown> = AttributeModel<T> | string;

/** Options every controller takes to find its models. */
export interface BindingOptions {
  /**
   * The manager that resolves URIs. Default: the default manager, when
   * there is one (`tk-core` makes it with the built-in schemes on first
   * use; a page that imports only tk-core/ui and tk-core/remote has none
   * unless it calls `setDefaultManager`).
   */
  readonly manager?: Manager | undefined;
}

/**
 * An attribute held for a controller: {@link AttributeBinding.dispose} lets
 * it go (the manager may then release it after its grace period).
 */
export interface AttributeBinding<T = unknown> extends Disposable {
  /** The attribute. */
  readonly attribute: AttributeModel<T>;
  /** The manager it belongs to (the one given, the default one, or undefined when an attribute object was given without one). */
  readonly manager: Manager | undefined;
  /** The fragment written after `#` in the URI given, if any (`label` in `loc:/a/b#label`). */
  readonly fragment: string | undefined;
  /** The fragments the attribute's scheme adds to the standard ones. */
  readonly schemeFragments: Readonly<Record<string, FragmentGetter>>;
  /** Lets go of the attribute (idempotent). */
  dispose(): void;
}

/**
 * Resolves `model` without holding it. A URI is looked up in
 * `options.manager`, else the default manager; an invalid URI throws the
 * manager's {@link TkError} (`INVALID_NAME`, `UNKNOWN_SCHEME`), anything that
 * is neither an attribute nor a string throws a `CONFIG` TkError.
 */
export function resolveAttribute<T = unknown>(
  model: AttributeInput<T>,
  options: BindingOptions = {},
): AttributeModel<T> {
  if (model instanceof AttributeModel) return model as AttributeModel<T>;
  if (typeof model !== 'string') {
    throw new TkError(
      'CONFIG',
      `A model must be an attribute or its URI (a string such as "eval:1" or "cii.oldb:/root/example/double/sine"), got ${describe(model)}`,
      { details: { input: describe(model) } },
    );
  }
  return (
    options.manager ?? requireDefaultManager(`The model ${JSON.stringify(model).slice(0, 200)}`)
  ).attribute<T>(model);
}

/** Holds `model` for a controller: see {@link AttributeBinding}. Throws like {@link resolveAttribute}. */
export function bindAttribute<T = unknown>(
  model: AttributeInput<T>,
  options: BindingOptions = {},
): AttributeBinding<T> {
  const manager =
    options.manager ??
    (model instanceof AttributeModel || typeof model !== 'string'
      ? undefined
      : requireDefaultManager(`The model ${JSON.stringify(model).slice(0, 200)}`));
  const attribute = resolveAttribute<T>(model, { manager });
  const fragment =
    typeof model === 'string' && manager !== undefined
      ? manager.getNames(model)?.fragment || undefined
      : undefined;
  let schemeFragments: Readonly<Record<string, FragmentGetter>> = {};
  if (manager !== undefined) {
    try {
      schemeFragments = manager.getBackend(attribute.scheme).fragments ?? {};
    } catch {
      schemeFragments = {};
    }
  }
  const handle: ModelHandle = attribute.hold();
  let done = false;
  const dispose = () => {
    if (done) return;
    done = true;
    handle.dispose();
  };
  return { attribute, manager, fragment, schemeFragments, dispose, [Symbol.dispose]: dispose };
}

/**
 * The model of an item relative to its parent's model (Taurus's
 * `useParentModel`): a relative model starts with `/` or `#` and is appended
 * to the parent's (`cii.oldb:/root/example/double` and `/sine` give
 * `cii.oldb:/root/example/double/sine`); any other model is absolute and
 * returned as it is. Throws a `CONFIG` TkError for a relative model without
 * a parent.
 */
export function joinModel(parent: string | undefined, model: string): string {
  if (!isRelativeModel(model)) return model;
  if (parent === undefined || parent === '') {
    throw new TkError(
      'CONFIG',
      `The model ${JSON.stringify(model)} is relative (it starts with "${model[0]}") but has no parent model: give the form a parent model, e.g. { parentModel: "cii.oldb:/root/example/double" }, or an absolute URI`,
      { details: { input: model } },
    );
  }
  const base = parent.endsWith('/') && model.startsWith('/') ? parent.slice(0, -1) : parent;
  return base + model;
}

/** Whether a model is written relative to a parent (starts with `/` or `#`). */
export function isRelativeModel(model: string): boolean {
  return model.startsWith('/') || model.startsWith('#');
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return `an object (${Object.prototype.toString.call(v)})`;
  return `${typeof v} ${String(v)}`;
}
