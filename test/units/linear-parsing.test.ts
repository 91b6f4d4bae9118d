/**
 * Issue 10 item 4 (unit text from outside is parsed in linear time) and
 * issue 11 item 15 (a unit mismatch names both units). Every input here is
 * 100 kB or more; before the fix some took seconds to minutes (the sandbox's
 * unit token regex backtracked quadratically on a name followed by digits,
 * Quantity.parse on inner spaces). Nothing here is timed: the work is
 * counted (test/support/work-count.ts): tk-core's code does at most about
 * twice the work on a text twice as long (quadratic work would be four
 * times), every regex it runs on a long text is proven to backtrack a
 * bounded number of times per character (a static ReDoS check), and no
 * unit parser ever reads a text longer than MAX_UNIT_TEXT.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createEvalScheme,
  createLocScheme,
  createManager,
  createOldbScheme,
  Quality,
  Quantity,
} from '../../src/index.js';
import { createEmbeddedStore } from '../../src/oldb-store/index.js';
import { createSandbox } from '../../src/schemes/eval/sandbox/index.js';
import { areUnitsCompatible, isKnownUnit, MAX_UNIT_TEXT } from '../../src/units/quantity.js';
import { parseUnitTerms } from '../../src/units/unit-parser.js';
import { backtrackingRegexes, regexRuns, startWorkCounter, type WorkCounter } from '../support/work-count.js';

// the real parser, watched: which texts reach it
vi.mock('../../src/units/unit-parser.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/units/unit-parser.js')>();
  return { ...real, parseUnitTerms: vi.fn(real.parseUnitTerms) };
});

const N = 100_000;

let counter: WorkCounter;
beforeAll(async () => {
  counter = await startWorkCounter();
});
afterAll(() => counter.stop());

/**
 * Checks that `run` on `make(n)` is linear in n, without timing it: every
 * regex it runs on a text past MAX_UNIT_TEXT is proven to backtrack a
 * bounded number of times per character (checked first, on a text of 2,000
 * characters, so that a quadratic regex fails the test at once), and tk-core's code does at most 2.5 times the work
 * (executed blocks) on `make(2n)` as on `make(n)`, where quadratic work would
 * be 4 times.
 */
async function expectLinear(what: string, make: (n: number) => string, run: (text: string) => unknown) {
  const long = regexRuns(() => outcome(() => run(make(2000)))).filter((r) => r.length > MAX_UNIT_TEXT);
  expect(backtrackingRegexes(long).map(String), what).toEqual([]);
  outcome(() => run(make(16))); // first calls build tables and caches once
  const once = await counter.count(() => outcome(() => run(make(N / 2))));
  const twice = await counter.count(() => outcome(() => run(make(N))));
  expect(twice, `${what}: ${once} blocks for ${N / 2}, ${twice} for ${N}`).toBeLessThanOrEqual(2.5 * once);
}

/** The longest text the unit parser read since the last call. */
function longestParsed(): number {
  const calls = vi.mocked(parseUnitTerms).mock.calls;
  const longest = Math.max(0, ...calls.map(([text]) => text.length));
  vi.mocked(parseUnitTerms).mockClear();
  return longest;
}

function outcome(fn: () => unknown): { value?: unknown; error?: Error } {
  try {
    return { value: fn() };
  } catch (error) {
    return { error: error as Error };
  }
}

/** Long unit texts of the shapes that made the old parsers backtrack, of about n characters. */
const HOSTILE: Record<string, (n: number) => string> = {
  'a name then digits then x': (n) => `a${'1'.repeat(n)}x`,
  'digits only': (n) => '1'.repeat(n),
  'inner spaces': (n) => `a${' '.repeat(n)}b`,
  'a long name': (n) => 'm'.repeat(n),
  'many products': (n) => 'm*'.repeat(n / 2),
  'powers and signs': (n) => 'm^-'.repeat(n / 3),
  slashes: (n) => 'm/'.repeat(n / 2),
};

describe('Quantity.parse and unit texts are linear (issue 10 item 4)', () => {
  it('Quantity.parse reads 100 kB texts in linear work, with the same results as before on short ones', async () => {
    for (const [what, make] of Object.entries({
      'inner spaces': (n: number) => `1 a${' '.repeat(n)}b`,
      'trailing spaces': (n: number) => `1${' '.repeat(n)}`,
      'spaces around': (n: number) => `${' '.repeat(n)}1 mm${' '.repeat(n)}`,
      'a long number then e': (n: number) => `1${'0'.repeat(n)}e`,
      'long digits and decimals': (n: number) => `-${'1'.repeat(n)}.${'2'.repeat(n)} V`,
      'not a number': (n: number) => `x${' '.repeat(n)}`,
    }))
      await expectLinear(what, make, (text) => Quantity.parse(text));
    expect(Quantity.parse(`1 a${' '.repeat(N)}b`).units).toBe(`a${' '.repeat(N)}b`);
    expect(Quantity.parse('  12.5mm ')).toEqual(Quantity.of(12.5, 'mm'));
    expect(Quantity.parse('-3e-2 V')).toEqual(Quantity.of(-0.03, 'V'));
    expect(Quantity.parse('.5')).toEqual(Quantity.of(0.5, ''));
    expect(Quantity.parse('1e m')).toEqual(Quantity.of(1, 'e m'));
    // a refused text is quoted as a short excerpt with its length
    const bad = outcome(() => Quantity.parse(`x${' '.repeat(N)}`)).error!;
    expect(bad.message).toMatch(/\(100001 characters\)/);
    expect(bad.message.length).toBeLessThan(300);
  });

  it('the unit engine never sees more than MAX_UNIT_TEXT characters: long units are opaque labels, at once', async () => {
    longestParsed();
    for (const [what, make] of Object.entries(HOSTILE)) {
      const units = make(N);
      await expectLinear(what, make, (u) => {
        isKnownUnit(u);
        areUnitsCompatible(u, 'm');
        outcome(() => Quantity.of(1, u).to('m'));
      });
      expect(isKnownUnit(units), what).toBe(false);
      const err = outcome(() => Quantity.of(1, units).to('m')).error!;
      expect(err.message.length, what).toBeLessThan(300);
      expect(longestParsed(), what).toBeLessThanOrEqual(MAX_UNIT_TEXT);
    }
    expect(isKnownUnit('m'.repeat(MAX_UNIT_TEXT + 1))).toBe(false);
    expect(Quantity.of(1, `  ${'m'.repeat(N)}  `).units).toBe('m'.repeat(N));
  });

  it("tk-core's unit parser is linear and reads the old tokens (js-quantities' m2, s-2) as before", async () => {
    const read = (t: string) => parseUnitTerms(t)?.map((x) => [x.name, x.power]);
    expect(read('m2')).toEqual([['m', 2]]);
    expect(read('s^-2')).toEqual([['s', -2]]);
    expect(read('s-2')).toEqual([['s', -2]]);
    expect(read('m^2')).toEqual([['m', 2]]);
    expect(read('mm')).toEqual([['mm', 1]]);
    expect(read('co2')).toEqual([['co', 2]]);
    expect(read('a1x')).toEqual([['a1x', 1]]);
    expect(read('µm3')).toEqual([['µm', 3]]);
    for (const bad of ['^2', 'm^', 'm-^2', 'm-', '-2', 'm^2^2', '(m', 'm)', '*m', 'm/'])
      expect(parseUnitTerms(bad), bad).toBeUndefined();
    for (const [what, make] of Object.entries({
      ...HOSTILE,
      'a name then digits': (n: number) => `a${'1'.repeat(n)}`,
      parentheses: (n: number) => '('.repeat(n),
      'slashes then a name': (n: number) => `${'m/'.repeat(n / 2)}m`,
      'powers of groups': (n: number) => '(m^2)*'.repeat(n / 6) + 'm',
      'superscripts and dots': (n: number) => 'm²·s⁻¹·'.repeat(n / 7) + 'K',
    }))
      await expectLinear(what, make, (text) => parseUnitTerms(text));
  });

  it('Q(1, units) with 100 kB units (built inside the expression) is refused at once, naming the length', async () => {
    const sandbox = createSandbox();
    for (const [what, expr] of Object.entries({
      'a name, digits and x': (n: number) => `Q(1, "a" + "1"*${n} + "x")`,
      'many products': (n: number) => `Q(1, "m*"*${n / 2})`,
      'a long name': (n: number) => `Q(1, "m"*${n})`,
      'a target of .to()': (n: number) => `Q(1, "m").to("k" + "1"*${n} + "m")`,
      'inner spaces in a quantity text': (n: number) => `Q("1 a" + " "*${n} + "b")`,
    })) {
      await expectLinear(what, expr, (text) => sandbox.compile(text).evaluate());
      longestParsed();
      const err = outcome(() => sandbox.compile(expr(N)).evaluate()).error!;
      expect(err, what).toBeDefined();
      expect((err as { code?: string }).code, what).toBe('EXPRESSION');
      expect(err.message, what).toMatch(/characters/);
      expect(err.message.length, what).toBeLessThan(400);
      expect(longestParsed(), what).toBeLessThanOrEqual(MAX_UNIT_TEXT);
    }
    // inputs carrying such units (a loc point's units=, OLDB metadata) are refused the same way
    await expectLinear(
      'an input with long units',
      (n) => `a${'1'.repeat(n)}x`,
      (units) => sandbox.toMathValue(Quantity.of(1, units), 'x*2'),
    );
    const input = Quantity.of(1, `a${'1'.repeat(N)}x`);
    expect(outcome(() => sandbox.toMathValue(input, 'x*2')).error?.message).toMatch(
      /longer than 256 characters/,
    );
    expect(longestParsed()).toBeLessThanOrEqual(MAX_UNIT_TEXT);
  });

  it('through a loc point declared with 100 kB units and an eval attribute reading it', async () => {
    const m = createManager({ builtins: false, gcTime: 0, schemes: [createLocScheme(), createEvalScheme()] });
    try {
      const units = `a${'1'.repeat(N)}x`;
      const loc = `loc:/u/big?type=float&init=2&units=${units}`;
      longestParsed();
      const point = m.attribute(loc);
      const r = await point.read();
      expect(r.quality).toBe(Quality.VALID);
      expect((r.rvalue as Quantity).units).toBe(units);
      const w = await point.write('3 mm').then(
        () => undefined,
        (e: Error) => e,
      );
      // refused (mm is not these units); the units are quoted as an excerpt (the name, once, is another item's)
      expect((w as { code?: string } | undefined)?.code).toBe('UNIT_MISMATCH');
      expect(w!.message.split(units).length - 1).toBeLessThanOrEqual(1);
      expect(w!.message).toContain('(100002 characters)');
      const e = await m.attribute(`eval:{${loc}}*2`).read();
      expect(e.quality).toBe(Quality.INVALID);
      expect(e.error?.message).toMatch(/longer than 256 characters/);
      expect(longestParsed()).toBeLessThanOrEqual(MAX_UNIT_TEXT);
    } finally {
      await m.dispose();
    }
  });

  it('through OLDB metadata units of 100 kB, read directly and by an eval attribute', async () => {
    const store = createEmbeddedStore();
    const units = `m${'2'.repeat(N)}x`;
    await store.declare('/root/u/big', { type: 'double', value: 1.5, metadata: { units } });
    const m = createManager({
      builtins: false,
      gcTime: 0,
      schemes: [createOldbScheme({ store }), createEvalScheme()],
    });
    try {
      longestParsed();
      const r = await m.attribute('cii.oldb:/root/u/big').read();
      expect((r.rvalue as Quantity).units).toBe(units);
      const e = await m.attribute('eval:{cii.oldb:/root/u/big}+1').read();
      expect(e.quality).toBe(Quality.INVALID);
      expect(e.error?.message).toMatch(/longer than 256 characters/);
      expect(longestParsed()).toBeLessThanOrEqual(MAX_UNIT_TEXT);
    } finally {
      await m.dispose();
      await store.close();
    }
  });
});

describe('a unit mismatch names both units (issue 11 item 15)', () => {
  const sandbox = createSandbox();
  const error = (expr: string) => outcome(() => sandbox.compile(expr).evaluate()).error?.message ?? '';
  it.each([
    ['Q("1m")+Q("1s")', 'cannot add "m" and "s": incompatible units'],
    ['Q("1m")-Q("2kg")', 'cannot subtract "m" and "kg"'],
    ['Q("1m")<Q("1s")', 'cannot compare "m" and "s"'],
    ['Q("1m")==Q("1 kg*m/s")', 'cannot compare "m" and "kg*m/s"'],
    ['Q([1,2],"mm")+Q(1,"V")', 'cannot add "mm" and "V"'],
    ['Q("1m")+1', 'cannot add "m" and a plain number'],
  ])('%s', (expr, expected) => {
    const message = error(expr);
    expect(message).toContain(expected);
    expect(message).not.toMatch(/Units do not match/);
  });
});
