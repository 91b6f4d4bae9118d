/**
 * tk-core/ui against Taurus 5's own Qt widgets, run headless
 * (test/support/taurus/taurus_widgets.py, one process per file): the widget
 * kinds a TaurusForm picks, what a TaurusLabel shows and its colours per
 * quality, and the pending state of a TaurusValueLineEdit on a writable
 * evaluator attribute (Taurus's test_evalattribute.py's MyClass().foo).
 * Deliberate differences are listed in docs/ui.md and asserted here.
 */
import { createManager, type Manager, Quantity } from 'tk-core';
import {
  createDisplay,
  createForm,
  createInput,
  type FormController,
  QUALITY_COLORS,
  TAURUS_WIDGET_CLASSES,
} from 'tk-core/ui';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvalScheme } from '../../src/schemes/eval/index.js';
import {
  startTaurusOracle,
  type TaurusOracle,
  taurusStatus,
  WIDGETS_SCRIPT,
} from '../support/taurus/oracle.js';
import { untilSnapshot } from './support/until.js';

const TAURUS_FOO = 'eval:@taurus.core.evaluation.test.res.mymod.MyClass()/self.foo';

/** Taurus's MyClass (taurus/core/evaluation/test/res/mymod.py): foo is a writable 123 m. */
class MyClass {
  #foo: Quantity = Quantity.of(123, 'm');
  get foo() {
    return this.#foo;
  }
  set foo(v: Quantity) {
    this.#foo = v;
  }
}

const status = taurusStatus();

describe.runIf(status.available || status.required)(
  'tk-core/ui against Taurus 5 widgets (headless Qt)',
  () => {
    let taurus: TaurusOracle;
    let m: Manager;
    beforeAll(async () => {
      if (!status.available) throw new Error(status.reason);
      taurus = await startTaurusOracle(WIDGETS_SCRIPT);
      m = createManager({ gcTime: 0, schemes: [createEvalScheme({ evaluators: { mymod: new MyClass() } })] });
    }, 60_000);
    afterAll(async () => {
      await taurus?.close();
      await m?.dispose();
    });

    async function ask<T>(req: Parameters<TaurusOracle['ask']>[0]): Promise<T> {
      const a = await taurus.ask<T>(req);
      if (!a.ok) throw new Error(a.error);
      return a.result;
    }

    async function settled(form: FormController) {
      await Promise.all(
        form
          .getSnapshot()
          .items.map((i) => (i.display ? untilSnapshot(i.display, (d) => d.quality !== undefined) : 0)),
      );
      return form.getSnapshot();
    }

    it('a form picks the read, write and units widgets TaurusValue picks', async () => {
      const cases: [taurus: string, ours: string][] = [
        ['eval:Q("12.5m")', 'eval:Q("12.5m")'],
        ['eval:True', 'eval:True'],
        ['eval:rand(5)', 'eval:rand(5)'],
        ['eval:"abc"', 'eval:"abc"'],
        ['eval:["a","b"]', 'eval:["a","b"]'],
        [TAURUS_FOO, 'eval:@mymod/foo'],
      ];
      const expected = await ask<{ read: string; write: string | null; units: string }[]>({
        op: 'form',
        models: cases.map((c) => c[0]),
      });
      const form = createForm(
        cases.map((c) => c[1]),
        { manager: m },
      );
      const s = await settled(form);
      const ours = s.items.map((i) => ({
        read: TAURUS_WIDGET_CLASSES[i.readWidget],
        write: i.writeWidget === 'none' ? null : TAURUS_WIDGET_CLASSES[i.writeWidget],
        units: TAURUS_WIDGET_CLASSES[i.unitsWidget],
      }));
      expect(ours).toEqual(expected);
      form.dispose();
    });

    it('a label shows the text Taurus shows, on the same colours', async () => {
      const models = [
        'eval:Q("12.5m")',
        'eval:1.23456789',
        'eval:3',
        'eval:True',
        'eval:"abc"',
        'eval:[1,2,3]',
        'eval:1e-9',
        'eval:123456789.123',
        'eval:-0.5',
        'eval:Q(1.23456789,"mm")',
      ];
      for (const model of models) {
        const t = await ask<{ text: string; bg: number[]; fg: number[] }>({ op: 'label', model });
        const d = createDisplay(model, { manager: m });
        const s = await untilSnapshot(d, (x) => x.quality !== undefined);
        const rgba = (c: { rgba: readonly number[] }) => [
          c.rgba[0],
          c.rgba[1],
          c.rgba[2],
          Math.round(c.rgba[3]! * 255),
        ];
        expect({ model, text: s.text, bg: rgba(s.background), fg: rgba(s.foreground) }).toEqual({
          model,
          ...t,
        });
        d.dispose();
      }
    });

    it('roles: fgRole label with bgRole none, as a TaurusLabel shows them', async () => {
      const t = await ask<{ text: string; bg: number[]; fg: number[] }>({
        op: 'label',
        model: 'eval:Q("12.5m")',
        fgRole: 'label',
        bgRole: 'none',
      });
      const d = createDisplay('eval:Q("12.5m")', { manager: m, fgRole: 'label', bgRole: 'none' });
      const s = await untilSnapshot(d, (x) => x.quality !== undefined);
      expect([
        s.text,
        [...s.background.rgba.slice(0, 3), s.background.rgba[3]! * 255],
        [...s.foreground.rgba.slice(0, 3), 255],
      ]).toEqual([t.text, t.bg, t.fg]);
      d.dispose();
    });

    it('an error reading: the same gray and white; Taurus prints "None", tk-core its none value (a documented difference)', async () => {
      const t = await ask<{ text: string; bg: number[]; fg: number[] }>({ op: 'label', model: 'eval:1/0' });
      const d = createDisplay('eval:1/0', { manager: m });
      const s = await untilSnapshot(d, (x) => x.quality !== undefined);
      expect([
        [...s.background.rgba.slice(0, 3), 255],
        [...s.foreground.rgba.slice(0, 3), 255],
      ]).toEqual([t.bg, t.fg]);
      expect(t.text).toBe('None');
      expect(s.text).toBe('-----');
      d.dispose();
    });

    it("the colours of every quality are Taurus's palette", async () => {
      const palette = await ask<Record<string, { bg: number[]; fg: number[]; name: string }>>({
        op: 'qualityPalette',
      });
      for (const [q, { bg, fg, name }] of Object.entries(palette)) {
        const ours = QUALITY_COLORS[q as keyof typeof QUALITY_COLORS];
        expect({
          q,
          bg: [...ours.background.rgba.slice(0, 3), 255],
          fg: [...ours.foreground.rgba.slice(0, 3), 255],
          name: ours.background.name,
        }).toEqual({ q, bg, fg, name });
      }
    });

    it('a writable evaluator attribute: an edit is pending when it differs from the value, as in a TaurusValueLineEdit', async () => {
      const input = createInput('eval:@mymod/foo', { manager: m });
      await untilSnapshot(input, (s) => s.lastRead !== '');
      for (const text of ['5 m', '123 m', '0.123 km', '7']) {
        const t = await ask<{ pending: boolean }>({ op: 'lineEdit', model: TAURUS_FOO, text });
        input.edit(text);
        expect({ text, pending: input.getSnapshot().pending }).toEqual({ text, pending: t.pending });
      }
      input.dispose();
    });
  },
);
