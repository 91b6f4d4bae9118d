/**
 * tk-core: the headless model layer of a control-system UI toolkit.
 *
 * ```ts
 * import { Attribute } from 'tk-core';
 * const r = await Attribute('eval:Q("12.5m")*2').read();
 * console.log(String(r.rvalue)); // "25 m"
 * ```
 *
 * @packageDocumentation
 */
export * from './errors/index.js';
export * from './model/enums.js';
export * from './units/quantity.js';
export * from './util/clock.js';
export * from './log/logger.js';
export * from './attribute/reading.js';
export * from './attribute/events.js';
export { AttributeModel, type ReadOptions, type WriteOptions, type ModelHandle } from './attribute/attribute.js';
export { qualityFromLimits, defaultConfig } from './attribute/config.js';
export { DeviceModel } from './device/device.js';
export { AuthorityModel } from './authority/authority.js';
export { ContainerModel } from './model/element.js';
export type { ProfilerHooks } from './model/host.js';
export * from './schemes/contract.js';
export * from './validators/name-validator.js';
export * from './fragments/standard-fragments.js';
export { FragmentError, parseFragmentPath, type FragmentStep } from './fragments/fragment-path.js';
export { compileFragment, type CompiledFragment } from './fragments/resolve-fragment.js';
export { Manager, type ManagerOptions, type ModelObject, type ResolvedNames, type ValidationOptions } from './manager/manager.js';
export type { ManagerSnapshot, SchemeSnapshot, AttributeSnapshot } from './manager/snapshot.js';
export * from './default-manager.js';
export * from './builtins.js';
export * from './diagnostics/index.js';
export * from './schemes/oldb/index.js';
export * from './schemes/eval/index.js';
