/**
 * `dead:` — a scheme whose backend never answers: reads and writes wait
 * forever (a point behind a dead server, weiss#194's case). Push-mode, so a
 * subscription waits for a first value that never comes.
 */
import {
  AttributeNameValidator,
  AuthorityNameValidator,
  DeviceNameValidator,
  type ModelNames,
  type SchemePlugin,
} from 'tk-core';

class DeadAuthority extends AuthorityNameValidator {
  readonly scheme = 'dead';
}
class DeadDevice extends DeviceNameValidator {
  readonly scheme = 'dead';
  override path = '(?<devname>/)';
  getNames(name: string): ModelNames | null {
    return this.getUriGroups(name) ? { fullName: 'dead:/', normalName: '/', simpleName: 'dead' } : null;
  }
}
class DeadAttribute extends AttributeNameValidator {
  readonly scheme = 'dead';
  override path = '(?<devname>/)(?<attrname>[a-z0-9]+)';
  override fragment = '[^#]*';
  getNames(name: string): ModelNames | null {
    const g = this.getUriGroups(name);
    return g === null
      ? null
      : {
          fullName: `dead:/${g.attrname}`,
          normalName: `/${g.attrname}`,
          simpleName: g.attrname!,
          fragment: g.fragment,
        };
  }
}

/** The dead scheme; `pending` counts the backend calls still waiting. */
export function createDeadScheme(): SchemePlugin & { pending: number } {
  const plugin = {
    scheme: 'dead',
    pending: 0,
    validators: { authority: new DeadAuthority(), device: new DeadDevice(), attribute: new DeadAttribute() },
    createBackend() {
      return {
        openAttribute() {
          const never = () => {
            plugin.pending++;
            return new Promise<never>(() => {});
          };
          return {
            mode: 'push' as const,
            config: { writable: true },
            read: never,
            write: never,
            start() {},
            stop() {},
            close() {},
          };
        },
      };
    },
  };
  return plugin;
}
