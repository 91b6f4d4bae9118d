/**
 * A name is matched against its scheme's grammar once per canonical URI:
 * the manager validates it when it creates the attribute, and the
 * attribute keeps the names found then, so its open does not match the
 * name again; the groups of the full name are matched only for a backend
 * that asks for them. A panel opening creates its attributes, then reads
 * them all: the one-entry memo of the validator does not help there.
 */
import { describe, expect, it } from 'vitest';
import {
  AttributeNameValidator,
  type AttributeTarget,
  AuthorityNameValidator,
  createManager,
  DeviceNameValidator,
  type ModelNames,
  type SchemePlugin,
} from '../../src/index.js';

/** A scheme `cnt:/<dev>/<attr>[#fragment]` whose attribute validator counts the matches of its expression. */
function countingScheme() {
  const counts = { matches: 0 };
  const opened: AttributeTarget[] = [];
  class Counting extends RegExp {
    override exec(s: string): RegExpExecArray | null {
      counts.matches++;
      return super.exec(s);
    }
  }
  class A extends AttributeNameValidator {
    readonly scheme = 'cnt';
    override path = '(?<devname>/[a-z]+)/(?<attrname>[a-z0-9]+)';
    override fragment = '[^#]*';
    #re: RegExp | undefined;
    override get nameRegExp(): RegExp {
      if (this.#re === undefined) this.#re = new Counting(this.namePattern);
      return this.#re;
    }
    getNames(n: string): ModelNames | null {
      const g = this.getUriGroups(n);
      if (g === null) return null;
      const path = `${g.devname}/${g.attrname}`;
      return { fullName: `cnt:${path}`, normalName: path, simpleName: g.attrname!, fragment: g.fragment };
    }
  }
  class D extends DeviceNameValidator {
    readonly scheme = 'cnt';
    override path = '(?<devname>/[a-z]+)';
    getNames(n: string): ModelNames | null {
      const g = this.getUriGroups(n);
      return g && { fullName: `cnt:${g.devname}`, normalName: g.devname!, simpleName: g.devname! };
    }
  }
  class Au extends AuthorityNameValidator {
    readonly scheme = 'cnt';
  }
  const plugin: SchemePlugin = {
    scheme: 'cnt',
    validators: { attribute: new A(), device: new D(), authority: new Au() },
    createBackend: () => ({
      openAttribute: (target) => {
        opened.push(target);
        return { mode: 'poll', read: async () => ({ rvalue: target.simpleName }), close() {} };
      },
    }),
  };
  return { plugin, counts, opened };
}

describe('matching names', () => {
  it('a name given canonically is matched once from the creation of its attribute to its first reading', async () => {
    const { plugin, counts, opened } = countingScheme();
    const m = createManager({ builtins: false, gcTime: 0, schemes: [plugin] });
    const names = Array.from({ length: 20 }, (_, i) => `cnt:/dev/a${i}`);
    // a panel: every attribute created first, then every one read
    const attrs = names.map((n) => m.attribute(n));
    const readings = await Promise.all(attrs.map((a) => a.read()));
    expect(counts.matches).toBe(names.length);
    expect(readings.map((r) => r.rvalue)).toEqual(names.map((_, i) => `a${i}`));
    // the backend got the names; the groups, when it asks, are those of the full name
    expect(opened).toHaveLength(names.length);
    for (const [i, t] of opened.entries()) {
      expect(t.fullName).toBe(names[i]);
      expect(t.normalName).toBe(`/dev/a${i}`);
      expect(t.simpleName).toBe(`a${i}`);
      expect(t.fragment).toBeUndefined();
      expect(t.groups.devname).toBe('/dev');
      expect(t.groups.attrname).toBe(`a${i}`);
      expect(t.groups.__STRICT__).toBe(true);
    }
    expect(attrs[3]!.names).toEqual({
      fullName: 'cnt:/dev/a3',
      normalName: '/dev/a3',
      simpleName: 'a3',
      fragment: undefined,
    });
    await m.dispose();
  });

  it('another spelling (a fragment) is matched again at the open, and the backend sees the full name only', async () => {
    const { plugin, counts, opened } = countingScheme();
    const m = createManager({ builtins: false, gcTime: 0, schemes: [plugin] });
    const a = m.attribute('cnt:/dev/x#label');
    const b = m.attribute('cnt:/dev/y');
    expect(counts.matches).toBe(2);
    await Promise.all([a.read(), b.read()]);
    expect(counts.matches).toBe(3); // the full name of a, matched when it was opened
    expect(opened.map((t) => [t.fullName, t.groups.fragment, t.fragment])).toEqual([
      ['cnt:/dev/x', undefined, undefined],
      ['cnt:/dev/y', undefined, undefined],
    ]);
    expect(a.names.fragment).toBeUndefined();
    await m.dispose();
  });

  it('an attribute opened again after its release keeps its names, and reads the same', async () => {
    const { plugin, counts, opened } = countingScheme();
    const m = createManager({ builtins: false, gcTime: 0, schemes: [plugin] });
    const a = m.attribute('cnt:/dev/z');
    expect((await a.read()).rvalue).toBe('z');
    expect(a.isOpen).toBe(false); // released after the read: no grace period
    m.attribute('cnt:/dev/other'); // another name in between: the validator's memo of one name holds that one
    expect(counts.matches).toBe(2);
    expect((await a.read()).rvalue).toBe('z');
    expect(counts.matches).toBe(2);
    expect(opened.map((t) => [t.fullName, t.groups.attrname])).toEqual([
      ['cnt:/dev/z', 'z'],
      ['cnt:/dev/z', 'z'],
    ]);
    await m.dispose();
  });
});
