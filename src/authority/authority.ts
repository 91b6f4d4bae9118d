/**
 * Authorities: the database or server a scheme's devices live under
 * (Taurus's TaurusAuthority).
 *
 * @module
 */
import { ContainerModel } from '../model/container-model.js';
import type { NameValidator } from '../validators/name-validator.js';

/** An authority: the root of a scheme's model tree. */
export class AuthorityModel extends ContainerModel {
  /** Always `Authority`. */
  readonly elementType = 'Authority' as const;

  /** @internal */
  protected validator(): NameValidator {
    return this.schemeRuntime.validators.authority;
  }
}
