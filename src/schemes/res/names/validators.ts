/**
 * Names of the `res` scheme (Taurus's resource aliases): `res:<name>` where
 * the name is a Python variable name, with no authority, query or fragment.
 * A resolved name is validated and named as the URI it stands for (the
 * manager follows the alias first); these validators only see names that
 * stand for nothing, and say why.
 *
 * @module
 */
import { InvalidNameError } from '../../../errors/tk-error.js';
import {
  AttributeNameValidator,
  AuthorityNameValidator,
  DeviceNameValidator,
  type ModelNames,
  NEVER,
  type SchemeValidators,
} from '../../../validators/name-validator.js';

/** Taurus's `PY_VAR` for a resource name. */
export const RES_PATH = '(?<_resname>[A-Za-z_][A-Za-z0-9_]*)';

function unresolved(name: string, elementType: string, keys: () => readonly string[]): InvalidNameError {
  const m = /^res:([A-Za-z_][A-Za-z0-9_]*)$/.exec(name);
  const known = keys();
  const list =
    known.length === 0
      ? 'no resource map is loaded'
      : `defined: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', ...' : ''}`;
  if (m === null) {
    return new InvalidNameError(
      name,
      `Invalid res ${elementType.toLowerCase()} name ${JSON.stringify(name)}: expected res:<name> with a name of letters, digits and _ not starting with a digit (no authority, query or fragment), e.g. res:motor_x`,
      { scheme: 'res', elementType, part: 'path' },
    );
  }
  return new InvalidNameError(
    name,
    `Invalid res ${elementType.toLowerCase()} name ${JSON.stringify(name)}: no resource map names "${m[1]}", or what it names is not a valid ${elementType.toLowerCase()} (${list}); load a map with createManager({ schemeOptions: { res: { map: { ${m[1]}: "<uri>" } } } })`,
    { scheme: 'res', elementType, part: 'path', key: m[1] },
  );
}

/** The validators of the `res` scheme for names that stand for nothing (`keys` lists the names that do). */
export function resValidators(keys: () => readonly string[]): SchemeValidators {
  class ResAuthority extends AuthorityNameValidator {
    readonly scheme = 'res';
    override authority = NEVER;
    override path = RES_PATH;
    override getNames(): ModelNames | null {
      return null;
    }
    override isValid(): boolean {
      return false;
    }
    override invalidNameError(name: string): InvalidNameError {
      return unresolved(name, 'Authority', keys);
    }
  }
  class ResDevice extends DeviceNameValidator {
    readonly scheme = 'res';
    override path = RES_PATH;
    override getNames(): ModelNames | null {
      return null;
    }
    override isValid(): boolean {
      return false;
    }
    override invalidNameError(name: string): InvalidNameError {
      return unresolved(name, 'Device', keys);
    }
  }
  class ResAttribute extends AttributeNameValidator {
    readonly scheme = 'res';
    override path = RES_PATH;
    override getNames(): ModelNames | null {
      return null;
    }
    override isValid(): boolean {
      return false;
    }
    override invalidNameError(name: string): InvalidNameError {
      return unresolved(name, 'Attribute', keys);
    }
  }
  return { authority: new ResAuthority(), device: new ResDevice(), attribute: new ResAttribute() };
}
