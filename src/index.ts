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

export {
  AttributeModel,
  type ModelHandle,
  type ReadOptions,
  type WriteOptions,
  type WriteRequest,
  type WriteValue,
} from './attribute/attribute.js';
export { AttributeStreams } from './attribute/attribute-streams.js';
export { AttributeView } from './attribute/attribute-view.js';
export * from './attribute/events.js';
export {
  coerceWriteValue,
  isWriteRequest,
  WRITE_REQUEST,
  type WriteTarget,
  writeTargetOf,
} from './attribute/write-coercion.js';
export { AuthorityModel } from './authority/authority.js';
export * from './builtins.js';
export { defaultConfig, qualityFromLimits } from './core/config.js';
export * from './core/enums.js';
export * from './core/reading.js';
export * from './default-manager.js';
export { DeviceModel } from './device/device.js';
export * from './diagnostics/index.js';
export * from './errors/index.js';
export { createSandbox } from './eval/create-sandbox-alias.js';
export { FragmentError, type FragmentStep, parseFragmentPath } from './fragments/fragment-path.js';
export { type CompiledFragment, compileFragment } from './fragments/resolve-fragment.js';
export * from './fragments/standard-fragments.js';
export * from './log/logger.js';
export {
  Manager,
  type ManagerOptions,
  type ModelObject,
  type ResolvedNames,
  type ValidationOptions,
} from './manager/manager.js';
export type { AttributeSnapshot, ManagerSnapshot, SchemeSnapshot } from './manager/snapshot.js';
export { ContainerModel } from './model/container-model.js';
export type { ProfilerHooks } from './model/host.js';
export * from './schemes/contract.js';
export * from './schemes/eval/index.js';
export * from './schemes/oldb/index.js';
export * from './units/quantity.js';
export * from './util/clock.js';
export * from './validators/name-validator.js';
