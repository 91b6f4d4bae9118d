/**
 * The process-wide default manager behind `Attribute(uri)`, `Device(uri)`,
 * `Authority(uri)` and `getObject(uri)`, and `createManager()` with the
 * built-in schemes. The default lives on `globalThis` under a `Symbol.for`
 * key, so the ESM and CJS builds loaded in one process share one registry
 * (manager/default-slot.ts). Loading this module registers how the default
 * is made, so tk-core/ui's controllers given no manager find it.
 *
 * @module
 */

import type { Observable } from 'rxjs';
import type { AttributeModel } from './attribute/attribute.js';
import type { AuthorityModel } from './authority/authority.js';
import { builtinSchemes } from './builtins.js';
import type { DeviceModel } from './device/device.js';
import type { StandardFragmentName, StandardFragments } from './fragments/standard-fragments.js';
import { findDefaultManager, provideDefaultManagerFactory } from './manager/default-slot.js';
import { Manager, type ManagerOptions, type ModelObject } from './manager/manager.js';
import { checkManagerOptions } from './manager/options.js';

export { setDefaultManager } from './manager/default-slot.js';

/** Options of {@link createManager}. */
export interface CreateManagerOptions extends ManagerOptions {
  /** Register the built-in schemes (`loc`, `eval`, `cii.oldb`); default true. */
  builtins?: boolean;
}

/**
 * Creates an isolated manager: its own schemes, caches, timers and backend
 * connections. The built-in schemes are registered unless `builtins: false`.
 *
 * @example
 * ```ts
 * await using m = createManager({ gcTime: 0 });
 * const r = await m.attribute('eval:Q("12.5m")*2').read();
 * ```
 */
export function createManager(options: CreateManagerOptions = {}): Manager {
  checkManagerOptions(options, ['builtins']);
  const { builtins = true, schemes = [], ...rest } = options;
  const own = new Set(schemes.map((s) => s.scheme));
  const all = builtins ? [...builtinSchemes().filter((b) => !own.has(b.scheme)), ...schemes] : [...schemes];
  return new Manager({ ...rest, schemes: all });
}

// tk-core/ui finds the default manager through the slot: with this entry loaded, it has the built-ins
provideDefaultManagerFactory(() => createManager());

/** The default manager (created with the built-in schemes on first use). */
export function getDefaultManager(): Manager {
  return findDefaultManager(() => createManager())!;
}

/** An attribute model object whose readings carry values of type `T` (see {@link AttributeModel}). */
export type Attribute<T = unknown> = AttributeModel<T>;
/**
 * The attribute named `name` in the default manager (Taurus's
 * `taurus.Attribute`). `T` types the values of its readings
 * (`Attribute<Quantity>('eval:Q("1 m")')`): the caller's statement,
 * unchecked; numbers arrive as Quantities.
 */
export function Attribute<T = unknown>(name: string): Attribute<T> {
  return getDefaultManager().attribute<T>(name);
}

/** A device model object. */
export type Device = DeviceModel;
/** The device named `name` in the default manager. */
export function Device(name: string): Device {
  return getDefaultManager().device(name);
}

/** An authority model object. */
export type Authority = AuthorityModel;
/** The authority named `name` in the default manager. */
export function Authority(name: string): Authority {
  return getDefaultManager().authority(name);
}

/** The model object of `name` in the default manager, as its first valid type (Taurus's `taurus.Object`). */
export function getObject(name: string): ModelObject {
  return getDefaultManager().object(name);
}

/** Whether `name` is valid in the default manager. */
export function isValidName(name: string, options?: Parameters<Manager['isValidName']>[1]): boolean {
  return getDefaultManager().isValidName(name, options);
}

/** Element types `name` is valid for in the default manager. */
export function getValidTypesForName(
  name: string,
  options?: { strict?: boolean },
): ReturnType<Manager['getValidTypesForName']> {
  return getDefaultManager().getValidTypesForName(name, options);
}

/** The scheme of `name` in the default manager. */
export function getSchemeFromName(name: string): string | undefined {
  return getDefaultManager().getSchemeFromName(name);
}

/** The names of `name` in the default manager, or null. */
export function getNames(name: string): ReturnType<Manager['getNames']> {
  return getDefaultManager().getNames(name);
}

/** The fragment value of `uri` in the default manager (typed for the standard fragments). */
export function getFragment<F extends StandardFragmentName>(
  uri: `${string}#${F}`,
  options?: { signal?: AbortSignal },
): Promise<StandardFragments[F]>;
export function getFragment(uri: string, options?: { signal?: AbortSignal }): Promise<unknown>;
export function getFragment(uri: string, options?: { signal?: AbortSignal }): Promise<unknown> {
  return getDefaultManager().getFragment(uri, options);
}

/** The fragment observable of `uri` in the default manager (typed for the standard fragments). */
export function fragment$<F extends StandardFragmentName>(
  uri: `${string}#${F}`,
): Observable<StandardFragments[F]>;
export function fragment$(uri: string): Observable<unknown>;
export function fragment$(uri: string): Observable<unknown> {
  return getDefaultManager().fragment$(uri);
}
