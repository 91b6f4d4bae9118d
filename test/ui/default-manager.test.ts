/**
 * tk-core/ui finds the default manager through a slot (src/manager/default-slot.ts), not by
 * importing tk-core's default manager: a page that bundles tk-core/ui (its browser entry,
 * src/ui/index.ts) and passes its manager carries none of the built-in schemes. This file imports
 * that entry only, never tk-core, until the last case.
 */
import { describe, expect, it } from 'vitest';
import { TkError } from '../../src/errors/tk-error.js';
import { Manager } from '../../src/manager/manager.js';
import { createLocScheme } from '../../src/schemes/loc/plugin.js';
import { createDisplay, createTree, setDefaultManager } from '../../src/ui/index.js';

describe('tk-core/ui without the default manager of tk-core', () => {
  it('refuses a URI with no manager, with a CONFIG error saying what to do', () => {
    const err = (() => {
      try {
        createDisplay('loc:/ui/x?type=float');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(TkError);
    expect((err as TkError).code).toBe('CONFIG');
    expect((err as TkError).message).toContain('loc:/ui/x?type=float');
    expect((err as TkError).message).toContain('{ manager }');
    expect((err as TkError).message).toContain('setDefaultManager');
    expect(() => createTree('loc://localhost')).toThrow(/createTree: no manager was given/);
  });

  it('uses a manager given, and the one made the default with setDefaultManager', async () => {
    await using given = new Manager({ gcTime: 0, schemes: [createLocScheme()] });
    const a = createDisplay('loc:/ui/given?type=float', { manager: given });
    expect(given.attribute('loc:/ui/given?type=float')).toBe(a.attribute);
    a.dispose();

    await using page = new Manager({ gcTime: 0, schemes: [createLocScheme()] });
    expect(setDefaultManager(page)).toBeUndefined();
    const d = createDisplay('loc:/ui/x?type=float');
    expect(page.attribute('loc:/ui/x?type=float')).toBe(d.attribute);
    d.dispose();
  });

  it('uses the default manager with the built-in schemes once tk-core is loaded', async () => {
    const tk = await import('../../src/default-manager.js');
    const page = new Manager({ gcTime: 0, schemes: [createLocScheme()] });
    setDefaultManager(page);
    await page.dispose(); // a disposed default is replaced by a new one, made with the built-ins
    const d = createDisplay('eval:1+1');
    expect(tk.getDefaultManager().attribute('eval:1+1')).toBe(d.attribute);
    expect((await d.attribute.read()).rvalue).toMatchObject({ magnitude: 2 });
    d.dispose();
    await tk.getDefaultManager().dispose();
  });
});
