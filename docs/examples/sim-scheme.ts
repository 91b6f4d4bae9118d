/**
 * `sim:` — a complete small scheme, the one written in docs/writing-a-scheme.md.
 * Simulated signals computed from the clock, read by polling:
 *
 *   sim:/sine?period=10&amplitude=2   a sine wave (period in seconds)
 *   sim:/ramp?period=5                a sawtooth from 0 to 1
 *   sim:/const?value=3                a constant
 *
 * Devices are the signal kinds' parent `sim:/`; there is no authority.
 */
import {
  AttributeNameValidator,
  AuthorityNameValidator,
  DeviceNameValidator,
  type ModelNames,
  type SchemePlugin,
  TkError,
} from 'tk-core';

const KIND = '(?<attrname>sine|ramp|const)';
const NUMBER = '-?[0-9]+(?:\\.[0-9]+)?';
const PARAMS = `[a-z]+=${NUMBER}(?:&[a-z]+=${NUMBER})*`;

/** sim has no authority: the piece never matches (the base class default). */
class SimAuthority extends AuthorityNameValidator {
  readonly scheme = 'sim';
}

class SimDevice extends DeviceNameValidator {
  readonly scheme = 'sim';
  override path = '(?<devname>/)';
  getNames(name: string): ModelNames | null {
    return this.getUriGroups(name) ? { fullName: 'sim:/', normalName: '/', simpleName: 'sim' } : null;
  }
}

class SimAttribute extends AttributeNameValidator {
  readonly scheme = 'sim';
  override path = `(?<devname>/)${KIND}`;
  override query = PARAMS;
  override fragment = '[^#]*';
  override partDescriptions = {
    path: 'one of /sine, /ramp, /const',
    query: 'numeric parameters such as ?period=10&amplitude=2',
  };

  getNames(name: string): ModelNames | null {
    const g = this.getUriGroups(name);
    if (g === null) return null;
    // canonical: parameters sorted by key, numbers normalized
    const params = (g.query ?? '')
      .split('&')
      .filter((p) => p !== '')
      .map((p) => p.split('=') as [string, string])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${Number(v)}`)
      .join('&');
    const path = `/${g.attrname}${params ? `?${params}` : ''}`;
    return { fullName: `sim:${path}`, normalName: path, simpleName: g.attrname!, fragment: g.fragment };
  }
}

/** The sim scheme plugin. */
export function createSimScheme(): SchemePlugin {
  return {
    scheme: 'sim',
    defaultPollingPeriod: 1000,
    validators: { authority: new SimAuthority(), device: new SimDevice(), attribute: new SimAttribute() },
    createBackend(context) {
      return {
        openAttribute(target) {
          const params = new Map(
            (target.groups.query ?? '')
              .split('&')
              .filter(Boolean)
              .map((p) => {
                const [k, v] = p.split('=');
                return [k!, Number(v)] as const;
              }),
          );
          const kind = target.groups.attrname;
          const period = params.get('period') ?? 10;
          if (period <= 0) {
            throw new TkError('CONFIG', `${target.fullName}: period must be positive, not ${period}`);
          }
          const amplitude = params.get('amplitude') ?? 1;
          const value = (t: number) => {
            const phase = (t / 1000 / period) % 1;
            if (kind === 'sine') return amplitude * Math.sin(2 * Math.PI * phase);
            if (kind === 'ramp') return amplitude * phase;
            return params.get('value') ?? 0;
          };
          return {
            mode: 'poll',
            config: { description: `simulated ${kind}`, units: '', range: [-amplitude, amplitude] },
            async read() {
              const now = context.clock.now();
              return { rvalue: value(now), time: now };
            },
            close() {},
          };
        },
      };
    },
  };
}
