/**
 * Internals of the store layer that `tk-core/oldb` exported through
 * `export *` before 0.2. They stay exported, deprecated, for one release
 * (see CHANGELOG.md); the store API is what index.ts lists by name.
 *
 * @module
 */

import type { RawNotification as RawNotificationInternal } from './notification.js';
import { parseNotification as parseNotificationInternal } from './notification.js';
import {
  decodeDatapointHash as decodeDatapointHashInternal,
  decodeStoredMetadataJson as decodeStoredMetadataJsonInternal,
  decodeStoredType as decodeStoredTypeInternal,
  decodeStoredValue as decodeStoredValueInternal,
  excerpt as excerptInternal,
} from './stored-data.js';
import {
  decodeMetadataObject as decodeMetadataObjectInternal,
  decodeParsedValue as decodeParsedValueInternal,
  describeValue as describeValueInternal,
  encodeValue as encodeValueInternal,
  mergeMetadata as mergeMetadataInternal,
  metadataMismatch as metadataMismatchInternal,
  sortMetadata as sortMetadataInternal,
  valueMismatch as valueMismatchInternal,
} from './values.js';
import {
  type RecheckHook as RecheckHookInternal,
  WatchRegistry as WatchRegistryInternal,
} from './watch-registry.js';

/** @deprecated an internal of the stores' value encoding; not part of the store API, removed in the next release. */
export const describeValue: typeof describeValueInternal = describeValueInternal;

/** @deprecated an internal of the stores' value encoding; not part of the store API, removed in the next release. */
export const encodeValue: typeof encodeValueInternal = encodeValueInternal;

/** @deprecated an internal of the stores' value encoding; not part of the store API, removed in the next release. */
export const decodeParsedValue: typeof decodeParsedValueInternal = decodeParsedValueInternal;

/** @deprecated an internal of the stores' value encoding; not part of the store API, removed in the next release. */
export const valueMismatch: typeof valueMismatchInternal = valueMismatchInternal;

/** @deprecated an internal of the stores' value encoding; not part of the store API, removed in the next release. */
export const metadataMismatch: typeof metadataMismatchInternal = metadataMismatchInternal;

/** @deprecated an internal of the stores' value encoding; not part of the store API, removed in the next release. */
export const decodeMetadataObject: typeof decodeMetadataObjectInternal = decodeMetadataObjectInternal;

/** @deprecated an internal of the stores' value encoding; not part of the store API, removed in the next release. */
export const mergeMetadata: typeof mergeMetadataInternal = mergeMetadataInternal;

/** @deprecated an internal of the stores' value encoding; not part of the store API, removed in the next release. */
export const sortMetadata: typeof sortMetadataInternal = sortMetadataInternal;

/** @deprecated an internal of the Redis store's reading of stored data; not part of the store API, removed in the next release. */
export const excerpt: typeof excerptInternal = excerptInternal;

/** @deprecated an internal of the Redis store's reading of stored data; not part of the store API, removed in the next release. */
export const decodeStoredValue: typeof decodeStoredValueInternal = decodeStoredValueInternal;

/** @deprecated an internal of the Redis store's reading of stored data; not part of the store API, removed in the next release. */
export const decodeStoredType: typeof decodeStoredTypeInternal = decodeStoredTypeInternal;

/** @deprecated an internal of the Redis store's reading of stored data; not part of the store API, removed in the next release. */
export const decodeStoredMetadataJson: typeof decodeStoredMetadataJsonInternal =
  decodeStoredMetadataJsonInternal;

/** @deprecated an internal of the Redis store's reading of stored data; not part of the store API, removed in the next release. */
export const decodeDatapointHash: typeof decodeDatapointHashInternal = decodeDatapointHashInternal;

/** @deprecated an internal of the stores' change notifications; not part of the store API, removed in the next release. */
export const parseNotification: typeof parseNotificationInternal = parseNotificationInternal;

/** @deprecated an internal of the stores' change notifications; removed in the next release. */
export type RawNotification = RawNotificationInternal;

/** @deprecated an internal of the Redis store's watches; removed in the next release. */
export type RecheckHook = RecheckHookInternal;

/** @deprecated an internal of the Redis store's watches (not the store API); removed in the next release. */
export const WatchRegistry: typeof WatchRegistryInternal = WatchRegistryInternal;
/** @deprecated an internal of the Redis store's watches (not the store API); removed in the next release. */
export type WatchRegistry = WatchRegistryInternal;
