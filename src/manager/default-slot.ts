/**
 * Where the process-wide (or page-wide) default manager lives, without the
 * built-in schemes: a slot on `globalThis` under a `Symbol.for` key (so the
 * ESM and CJS builds loaded in one process share it), and the factory that
 * fills it on first use. The `tk-core` entry (default-manager.ts) registers
 * a factory making a manager with the built-in schemes; tk-core/ui reads the
 * slot through here, so a page that gives its controllers a manager (say a
 * remote one) carries none of the built-in schemes.
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';
import type { Manager } from './manager.js';

const DEFAULT_KEY = Symbol.for('tk-core.defaultManager');
const FACTORY_KEY = Symbol.for('tk-core.defaultManagerFactory');

type Global = Record<symbol, unknown>;

/**
 * Registers how the default manager is made when it is first needed (the
 * `tk-core` entry registers `createManager`, the built-in schemes). The
 * first factory registered stays; later ones are ignored.
 */
export function provideDefaultManagerFactory(create: () => Manager): void {
  const g = globalThis as Global;
  g[FACTORY_KEY] ??= create;
}

/**
 * The default manager, made now with `create` (else the registered factory)
 * if there is none yet or the last one was disposed; undefined when there is
 * none and no way to make one.
 */
export function findDefaultManager(create?: () => Manager): Manager | undefined {
  const g = globalThis as Global;
  let m = g[DEFAULT_KEY] as Manager | undefined;
  if (m === undefined || m.disposed) {
    const make = create ?? (g[FACTORY_KEY] as (() => Manager) | undefined);
    if (make === undefined) return undefined;
    m = make();
    g[DEFAULT_KEY] = m;
  }
  return m;
}

/**
 * The default manager for a caller given none (`what` names it in the
 * error); throws a `CONFIG` {@link TkError} when there is none and nothing
 * registered a way to make one: a page that imports only tk-core/ui and
 * tk-core/remote passes its manager, or sets one with `setDefaultManager`.
 */
export function requireDefaultManager(what: string): Manager {
  const m = findDefaultManager();
  if (m !== undefined) return m;
  throw new TkError(
    'CONFIG',
    `${what}: no manager was given and there is no default manager: pass { manager } (e.g. createRemoteManager(url) from tk-core/remote), or make one the default with setDefaultManager(manager), or import the default manager with its built-in schemes from tk-core (getDefaultManager)`,
    { details: { option: 'manager' } },
  );
}

/** Replaces the default manager (e.g. with one configured for your OLDB, or a page's remote manager); returns the previous one. */
export function setDefaultManager(manager: Manager): Manager | undefined {
  const g = globalThis as Global;
  const prev = g[DEFAULT_KEY] as Manager | undefined;
  g[DEFAULT_KEY] = manager;
  return prev;
}
