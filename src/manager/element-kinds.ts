/**
 * The three element kinds as the manager handles them, one table entry
 * each: the cache of its models, the class it creates and the validator of
 * a scheme that names it. The manager looks a kind up once and never tests
 * the element type again.
 *
 * @module
 */
import { AttributeModel } from '../attribute/attribute.js';
import { AuthorityModel } from '../authority/authority.js';
import type { ElementType } from '../core/enums.js';
import { DeviceModel } from '../device/device.js';
import type { Lifetime } from '../lifetime/lifetime.js';
import { ModelCache } from '../lifetime/model-cache.js';
import type { ReleaseQueue } from '../lifetime/release-queue.js';
import type { Logger } from '../log/logger.js';
import type { ModelHost, SchemeRuntime } from '../model/host.js';
import type { ModelNames, NameValidator } from '../validators/name-validator.js';

/** One element kind: its cache, the class it creates and the validator that names it. */
export interface ElementKind<M extends Lifetime> {
  /** The element type. */
  readonly type: ElementType;
  /** The models of this kind, one per canonical full name. */
  readonly cache: ModelCache<M>;
  /**
   * A new model of this kind (the manager adds it to the cache); `names`:
   * what validating its name found, when the name was given in its canonical
   * spelling (a model may keep them rather than match its name again).
   */
  create(host: ModelHost, runtime: SchemeRuntime, fullName: string, names?: ModelNames): M;
  /** The scheme's validator for names of this kind. */
  validator(runtime: SchemeRuntime): NameValidator;
}

/** Any model object. */
export type ModelObject = AttributeModel | DeviceModel | AuthorityModel;

/** The table of a manager's element kinds. */
export interface ElementKinds {
  /** Attributes. */
  readonly Attribute: ElementKind<AttributeModel>;
  /** Devices. */
  readonly Device: ElementKind<DeviceModel>;
  /** Authorities. */
  readonly Authority: ElementKind<AuthorityModel>;
}

/** The element kinds of one manager, their caches on its release queue. */
export function createElementKinds(queue: ReleaseQueue, log: Logger): ElementKinds {
  const attributes = new ModelCache<AttributeModel>('Attribute', queue, log);
  const devices = new ModelCache<DeviceModel>('Device', queue, log);
  const authorities = new ModelCache<AuthorityModel>('Authority', queue, log);
  return {
    Attribute: {
      type: 'Attribute',
      cache: attributes,
      create: (host, runtime, fullName, names) => new AttributeModel(host, runtime, fullName, names),
      validator: (runtime) => runtime.validators.attribute,
    },
    Device: {
      type: 'Device',
      cache: devices,
      create: (host, runtime, fullName) => new DeviceModel(host, runtime, fullName),
      validator: (runtime) => runtime.validators.device,
    },
    Authority: {
      type: 'Authority',
      cache: authorities,
      create: (host, runtime, fullName) => new AuthorityModel(host, runtime, fullName),
      validator: (runtime) => runtime.validators.authority,
    },
  };
}

/**
 * A new model of `kind` named `names` (what validating `name` found). The
 * model computes its normal and simple names from its full name when first
 * asked, as Taurus's objects do: they do not depend on the spelling that
 * created it. A name given in its canonical spelling was named as it is: the
 * model keeps those names instead of matching its full name again when it
 * first needs them (its label, its open).
 */
export function newModel<M extends Lifetime>(
  kind: ElementKind<M>,
  host: ModelHost,
  runtime: SchemeRuntime,
  name: string,
  names: ModelNames,
): M {
  return name === names.fullName
    ? kind.create(host, runtime, name, canonicalNames(name, names))
    : kind.create(host, runtime, names.fullName);
}

/**
 * The names of a model created from its canonical spelling `input`: the
 * input itself as the full name (the string the factory looked up already,
 * rather than the equal one the validator built), and no fragment.
 */
function canonicalNames(input: string, names: ModelNames): ModelNames {
  return { fullName: input, normalName: names.normalName, simpleName: names.simpleName };
}
