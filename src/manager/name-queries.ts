/**
 * What a manager answers about a name from its scheme's validators: the
 * element types it is valid for, whether it is valid, and its names. Each
 * takes the name as the scheme registry resolved it (the scheme's entry and
 * the name that scheme validates, after following alias schemes).
 *
 * @module
 */
import { ELEMENT_TYPES, type ElementType } from '../core/enums.js';
import type { ElementKinds } from './element-kinds.js';
import type { ResolvedNames } from './options.js';
import type { SchemeEntry } from './scheme-registry.js';

/** A name as the scheme registry resolved it: the entry of its scheme and the name that scheme validates. */
export interface FoundName {
  /** The scheme's entry. */
  readonly entry: SchemeEntry;
  /** The name its validators are asked about. */
  readonly name: string;
}

/** The element types `found` is valid for, in Taurus's order (Attribute, Device, Authority). */
export function validTypesOf(kinds: ElementKinds, found: FoundName, strict: boolean): ElementType[] {
  return ELEMENT_TYPES.filter((k) => kinds[k].validator(found.entry.runtime).isValid(found.name, { strict }));
}

/** Whether `found` is a valid name of one of `types`. */
export function isValidAs(
  kinds: ElementKinds,
  found: FoundName,
  types: readonly ElementType[],
  strict: boolean,
): boolean {
  for (const k of types) {
    if (kinds[k].validator(found.entry.runtime).isValid(found.name, { strict })) return true;
  }
  return false;
}

/** The names of `found` as the first of `types` it is valid for, or null when it is valid for none. */
export function namesAs(
  kinds: ElementKinds,
  found: FoundName,
  types: readonly ElementType[],
  strict: boolean,
): ResolvedNames | null {
  for (const k of types) {
    const v = kinds[k].validator(found.entry.runtime);
    if (!v.isValid(found.name, { strict })) continue;
    const n = v.getNames(found.name);
    if (n !== null) {
      // explicit properties: a spread followed by more keys is slow in V8
      return {
        fullName: n.fullName,
        normalName: n.normalName,
        simpleName: n.simpleName,
        fragment: n.fragment,
        elementType: k,
        scheme: found.entry.plugin.scheme,
      };
    }
  }
  return null;
}
