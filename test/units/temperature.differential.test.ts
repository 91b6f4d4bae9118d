/**
 * Temperature expressions evaluated by tk-core and by the real Taurus 5
 * (pint 0.19 with Taurus's unit registry) through the oracle
 * (test/support/taurus): the same outcome (a value or a failure), the same
 * kind of unit (an absolute temperature or a difference) and the same
 * physical value. Issue 11 item 6, issue 10 item 12.
 */
import { expect, it } from 'vitest';
import { Quantity } from '../../src/index.js';
import { createSandbox } from '../../src/schemes/eval/sandbox/index.js';
import { temperatureUnit } from '../../src/units/temperature.js';
import { describeWithTaurus } from '../support/taurus/describe-with-taurus.js';
import type { TaurusReading } from '../support/taurus/oracle.js';

const SAME: readonly string[] = [
  'Q(3,"°C")',
  'Q(3,"ºC")',
  'Q(3,"degC")',
  'Q(3,"celsius")',
  'Q(3,"°F")',
  'Q(3,"degC") == Q(276.15,"K")',
  'Q(3,"degC") != Q(276.15,"K")',
  'Q(3,"degC") > Q(276,"kelvin")',
  'Q(3,"degC") < Q(276,"kelvin")',
  'Q(20,"degC") < Q(68.1,"degF")',
  'Q(20,"degC") >= Q(68,"degF")',
  'Q(3,"ºC") == Q(3,"degC")',
  'Q(1,"degC") == Q(1,"delta_degC")',
  'Q(20,"degC").to("K")',
  'Q(20,"degC").to("degF")',
  'Q(0,"degC").to("degF")',
  'Q(20,"degF").to("degC")',
  'Q(300,"K").to("degC")',
  'Q(3,"°C").to("K")',
  'Q(3,"ºC").to("degC")',
  'Q(20,"degC").to("degK")',
  'Q(20,"degC").to("delta_degC")',
  'Q(20,"degR").to("K")',
  'Q(20,"delta_degC").to("K")',
  'Q(20,"delta_degC").to("delta_degF")',
  'Q(20,"delta_degC").to("degC")',
  'Q(1,"K").to("delta_degC")',
  'Q(150,"mK").to("degC")',
  'Q(-273,"degC").to("mK")',
  'Q(1,"degC") > Q(274000,"mK")',
  'Q(20,"degC") - Q(1,"degC")',
  'Q(20,"degC") - Q(1,"degF")',
  'Q(20,"degF") - Q(20,"degC")',
  'Q(20,"degC") - Q(1,"K")',
  'Q(20,"K") - Q(1,"degC")',
  'Q(3,"ºC") - Q(3,"degC")',
  'Q(20,"degC") + Q(1,"delta_degC")',
  'Q(1,"delta_degC") + Q(20,"degC")',
  'Q(20,"degC") + Q(1,"delta_degF")',
  'Q(20,"degC") - Q(1,"delta_degC")',
  'Q(20,"delta_degC") - Q(20,"degC")',
  'Q(20,"delta_degC") + Q(1,"delta_degF")',
  'Q(1,"K") + Q(1,"delta_degC")',
  'Q(20,"delta_degC") * 2',
  'Q(20,"delta_degC") / Q(1,"s")',
  'abs(Q(-1,"degC"))',
  'abs(Q(-40,"degF"))',
  'abs(Q(-3,"delta_degC"))',
  '-Q(1,"degC")',
  'Q(1,"degC") + Q(1,"delta_degC") == Q(2,"degC")',
  'Q([1,2],"degC").to("K")',
  'Q([1,2],"degC").mean()',
  'Q([1,2],"degC").max()',
  'Q([1,2],"degC").min()',
  // refused by both (pint's OffsetUnitCalculusError / DimensionalityError)
  'Q(20,"degC") + Q(1,"degC")',
  'Q(20,"degC") + Q(1,"K")',
  'Q(20,"K") + Q(1,"degC")',
  'Q(20,"degC") * 2',
  '2 * Q(20,"degC")',
  'Q(20,"degC") / 2',
  'Q(20,"degC") * Q(1,"m")',
  'Q(20,"degC") / Q(1,"s")',
  'Q(20,"degC") / Q(1,"degC")',
  'Q(1,"degC") * Q(1,"degC")',
  'Q(20,"degC") ** 2',
  'Q(20,"degC") + 1',
  'sum(Q([1,2],"degC"))',
  'Q([1,2],"degC").sum()',
  'Q(1,"degC") + Q(1,"m")',
];

/**
 * (`max()`/`min()` as functions are tk-core extras: Taurus reads them as
 * unknown symbols; the methods `.max()`/`.min()` are compared above.)
 * Deliberate differences. pint cannot read an offset unit inside a quantity
 * text (`Q("3 degC")` raises OffsetUnitCalculusError): tk-core reads it.
 * `==` between a temperature and a plain number is False in Python; tk-core
 * refuses to compare a quantity with a plain number, as it does for any unit.
 */
const DIFFERENT: ReadonlyArray<{ expr: string; ours: string }> = [
  { expr: 'Q("3 degC")', ours: '3 degC' },
  { expr: 'Q("3 °C")', ours: '3 degC' },
  { expr: 'Q(20,"degC") == 20', ours: 'error' },
];

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

function ours(expr: string): Outcome {
  try {
    return { ok: true, value: createSandbox().compile(expr).evaluate().value };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** Our quantity, converted to Taurus's units, has Taurus's magnitude and the same kind (absolute or difference). */
function expectSame(expr: string, mine: unknown, t: TaurusReading): void {
  if (t.units === null) {
    expect(mine, expr).toEqual(t.magnitude);
    return;
  }
  expect(Quantity.isQuantity(mine), `${expr}: ${String(mine)}`).toBe(true);
  const q = mine as Quantity;
  const theirs = t.unitsSymbol ?? t.units;
  const a = temperatureUnit(q.units);
  const b = temperatureUnit(theirs);
  if (a !== undefined || b !== undefined) {
    expect(a?.delta, `${expr}: ${q.units} vs ${theirs}`).toBe(b?.delta);
  }
  const converted = q.to(theirs).magnitude;
  const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number]);
  const want = flat(t.magnitude);
  const got = flat(converted);
  expect(got.length, expr).toBe(want.length);
  for (let k = 0; k < want.length; k++) expect(got[k]!, expr).toBeCloseTo(want[k]!, 9);
}

describeWithTaurus('temperatures: tk-core and Taurus 5 (pint) agree', (oracle) => {
  it.each(SAME)('%s', async (expr) => {
    const [answer] = await oracle().batch<TaurusReading>([{ op: 'read', name: `eval:${expr}` }]);
    expect(answer!.ok, expr).toBe(true);
    const t = (answer as { result: TaurusReading }).result;
    const mine = ours(expr);
    if (t.quality !== 'ATTR_VALID') {
      expect(
        mine.ok,
        `${expr}: Taurus refuses it (${t.warning}), tk-core gave ${mine.ok ? String(mine.value) : ''}`,
      ).toBe(false);
      return;
    }
    expect(mine.ok, `${expr}: ${mine.ok ? '' : mine.error}`).toBe(true);
    expectSame(expr, (mine as { value: unknown }).value, t);
  });

  it.each(DIFFERENT)('a deliberate difference: $expr', async ({ expr, ours: expected }) => {
    const [answer] = await oracle().batch<TaurusReading>([{ op: 'read', name: `eval:${expr}` }]);
    const t = (answer as { result: TaurusReading }).result;
    const mine = ours(expr);
    if (expected === 'error') {
      expect(t.quality).toBe('ATTR_VALID');
      expect(mine.ok).toBe(false);
    } else {
      expect(t.quality).toBe('ATTR_INVALID');
      expect(mine.ok && String(mine.value)).toBe(expected);
    }
  });
});
