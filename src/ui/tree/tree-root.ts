/**
 * The root of a tree browser: a device or authority model, from a name or
 * an object, whose scheme can list children. Refusals say what would be
 * valid (a device or authority name, the schemes that can list).
 *
 * @module
 */
import type { AuthorityModel } from '../../authority/authority.js';
import type { DeviceModel } from '../../device/device.js';
import type { Manager } from '../../manager/manager.js';

/** @internal the model a tree is rooted at, resolved in `manager`; throws a TypeError naming what is wrong. */
export function resolveRoot(
  root: string | DeviceModel | AuthorityModel,
  manager: Manager,
): DeviceModel | AuthorityModel {
  if (typeof root !== 'string') {
    if (
      root === null ||
      typeof root !== 'object' ||
      typeof (root as { childEntries?: unknown }).childEntries !== 'function'
    ) {
      throw new TypeError(
        `createTree(root): root must be a device or authority name (such as 'cii.oldb:/root') or a Device or Authority object, got ${root === null ? 'null' : typeof root}`,
      );
    }
    return root;
  }
  const types = manager.getValidTypesForName(root);
  const model = types.includes('Device')
    ? manager.device(root)
    : types.includes('Authority')
      ? manager.authority(root)
      : undefined;
  if (model === undefined) {
    // the manager's own error names the input and what each part accepts
    manager.device(root);
    throw new TypeError(`createTree(root): ${JSON.stringify(root)} is not a device or authority name`);
  }
  const backend = manager.getBackend(model.scheme);
  if (backend.listChildren === undefined && backend.listChildEntries === undefined) {
    throw new TypeError(
      `createTree(${JSON.stringify(root)}): the ${model.scheme} scheme cannot list children; schemes that can: ${manager.schemes
        .filter((s) => {
          const b = manager.getBackend(s);
          return b.listChildren !== undefined || b.listChildEntries !== undefined;
        })
        .join(', ')}`,
    );
  }
  return model;
}
