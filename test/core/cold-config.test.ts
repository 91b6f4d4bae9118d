/**
 * A cold attribute's configuration is built once: what its source says at
 * open and the backend's first description go into one object when nobody
 * asked for the configuration in between. It must say exactly what merging
 * them one after the other says, and config events must be those of before.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig, mergeConfig, openedConfig } from '../../src/core/config.js';
import {
  type AttributeConfig,
  AttributeNameValidator,
  type AttributeSink,
  AuthorityNameValidator,
  createManager,
  DeviceNameValidator,
  type ModelNames,
  type SchemePlugin,
  type TkEvent,
} from '../../src/index.js';

interface Behaviour {
  /** What the source says at open. */
  readonly opened?: Partial<AttributeConfig>;
  /** Whether it has a write path. */
  readonly writes: boolean;
  /** What it describes in its read, before answering. */
  readonly described?: Partial<AttributeConfig>;
}

function scheme(behaviour: Behaviour): SchemePlugin {
  class A extends AttributeNameValidator {
    readonly scheme = 'cfg';
    override path = '(?<devname>/[a-z]+)/(?<attrname>[a-z0-9]+)';
    getNames(n: string): ModelNames | null {
      const g = this.getUriGroups(n);
      if (g === null) return null;
      const path = `${g.devname}/${g.attrname}`;
      return { fullName: `cfg:${path}`, normalName: path, simpleName: g.attrname! };
    }
  }
  class D extends DeviceNameValidator {
    readonly scheme = 'cfg';
    override path = '(?<devname>/[a-z]+)';
    getNames(n: string): ModelNames | null {
      const g = this.getUriGroups(n);
      return g && { fullName: `cfg:${g.devname}`, normalName: g.devname!, simpleName: g.devname! };
    }
  }
  class Au extends AuthorityNameValidator {
    readonly scheme = 'cfg';
  }
  return {
    scheme: 'cfg',
    validators: { attribute: new A(), device: new D(), authority: new Au() },
    createBackend: () => ({
      openAttribute: (_target, sink: AttributeSink) => ({
        mode: 'poll',
        config: behaviour.opened,
        read: async () => {
          await Promise.resolve(); // described when the backend answers, not at once
          if (behaviour.described !== undefined) sink.config(behaviour.described);
          return { rvalue: 1 };
        },
        ...(behaviour.writes ? { write: async () => undefined } : {}),
        close() {},
      }),
    }),
  };
}

const patch = fc.record(
  {
    label: fc.option(fc.string({ maxLength: 4 }), { nil: undefined }),
    description: fc.option(fc.string({ maxLength: 4 }), { nil: undefined }),
    writable: fc.option(fc.boolean(), { nil: undefined }),
    units: fc.option(fc.constantFrom('', 'mm', 'K'), { nil: undefined }),
    format: fc.option(fc.constantFrom('%6.3f', '%d'), { nil: undefined }),
    extra: fc.option(fc.constant(Object.freeze({ k: 1 })), { nil: undefined }),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Partial<AttributeConfig>>;

/** What merging one after the other gave before: defaults, the open patch, the description. */
function merged(simpleName: string, b: Behaviour): AttributeConfig {
  let c = mergeConfig(defaultConfig(simpleName), { writable: b.writes, ...b.opened });
  if (b.described !== undefined) c = mergeConfig(c, b.described);
  return c;
}

describe('a cold attribute configuration', () => {
  it('openedConfig is the defaults merged with the open patch, then the description', () => {
    fc.assert(
      fc.property(
        fc.option(patch, { nil: undefined }),
        fc.boolean(),
        fc.option(patch, { nil: undefined }),
        (opened, writes, described) => {
          const b = { opened, writes, described };
          const once = openedConfig('x', writes, opened, described);
          expect(once).toEqual(merged('x', b));
          expect(Object.keys(once)).toEqual(Object.keys(merged('x', b)));
          expect(Object.isFrozen(once)).toBe(true);
        },
      ),
    );
  });

  it('read cold, asked for before the read, or watched: the same configuration', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(patch, { nil: undefined }),
        fc.boolean(),
        fc.option(patch, { nil: undefined }),
        async (opened, writes, described) => {
          const b = { opened, writes, described };
          const m = createManager({ builtins: false, gcTime: 0, schemes: [scheme(b)] });
          try {
            const cold = m.attribute('cfg:/dev/cold');
            await cold.read({ cache: false });
            expect(cold.config).toEqual(merged('cold', b));

            const asked = m.attribute('cfg:/dev/asked');
            expect(asked.config).toEqual(defaultConfig('asked'));
            await asked.read({ cache: false });
            expect(asked.config).toEqual(merged('asked', b));
          } finally {
            await m.dispose();
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a watcher of events gets the configuration at start and each description that changes it', async () => {
    const described = { label: 'Described', units: 'mm' };
    const m = createManager({ builtins: false, gcTime: 0, schemes: [scheme({ writes: true, described })] });
    try {
      const a = m.attribute('cfg:/dev/w');
      const events: TkEvent[] = [];
      const sub = a.events$.subscribe((e) => events.push(e));
      await a.read({ cache: false });
      await a.read({ cache: false }); // the same description again: no event
      sub.unsubscribe();
      const configs = events
        .filter((e) => e.type === 'config')
        .map((e) => (e as { config: AttributeConfig }).config);
      expect(configs).toEqual([merged('w', { writes: true }), merged('w', { writes: true, described })]);
    } finally {
      await m.dispose();
    }
  });

  it('a source whose metadata says read-only is not written to, described or not', async () => {
    const m = createManager({
      builtins: false,
      gcTime: 0,
      schemes: [scheme({ writes: true, opened: { writable: false } })],
    });
    try {
      await expect(m.attribute('cfg:/dev/ro').write(2)).rejects.toMatchObject({ code: 'NOT_WRITABLE' });
    } finally {
      await m.dispose();
    }
  });
});
