/**
 * Devices: containers of attributes (Taurus's TaurusDevice).
 *
 * @module
 */
import type { AuthorityModel } from '../authority/authority.js';
import { ContainerModel } from '../model/container-model.js';
import type { NameValidator } from '../validators/name-validator.js';

/** A device: a branch of the model tree, holding attributes. */
export class DeviceModel extends ContainerModel {
  /** Always `Device`. */
  readonly elementType = 'Device' as const;

  /** @internal */
  protected validator(): NameValidator {
    return this.schemeRuntime.validators.device;
  }

  /** Full name of the authority this device belongs to, when the scheme has one. */
  get parentName(): string | undefined {
    const v = this.schemeRuntime.validators.device;
    const g = v.getUriGroups(this.fullName);
    if (g === null || g.authority === undefined) return undefined;
    return `${g.scheme}:${g.authority}`;
  }

  /** The authority this device belongs to, when the scheme has one. */
  get parent(): AuthorityModel | undefined {
    const p = this.parentName;
    return p === undefined ? undefined : (this.host.container(p, 'Authority') as AuthorityModel);
  }
}
