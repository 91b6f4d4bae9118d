// Issue 10 item 2: every operation of the sandbox counts the elements it will
// produce before it builds them. The examples of the issue (each aborted the
// process or built tens of millions of elements before), and a property test:
// compositions of the array functions, evaluated by a sandbox with a small
// element limit whose every guarded function's result is measured, never
// produce a value over the limit.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { TkError } from '../../src/errors/tk-error.js';
import { createSandbox, createSeededRandom } from '../../src/schemes/eval/sandbox/index.js';
import { withResultProbe } from '../../src/schemes/eval/sandbox/test-hooks.js';

/** Elements of a value, read in full (a ragged array counts every leaf); a text counts its characters. */
function measure(v: unknown): number {
  if (typeof v === 'string') return v.length;
  if (!Array.isArray(v)) return 1;
  let n = 0;
  for (const x of v) n += Array.isArray(x) ? measure(x) : 1;
  return n;
}

/**
 * A sandbox that records the largest value any of its guarded functions
 * returned. Its time budget is out of the way: what is checked here is size.
 */
function probed(limits: { maxElements?: number; maxTimeMs?: number } = {}) {
  const largest = { size: 0, by: '' };
  const sandbox = createSandbox(
    withResultProbe(
      { random: createSeededRandom(7), limits: { maxTimeMs: 60_000, ...limits } },
      (name, result) => {
        const size = measure(result);
        if (size > largest.size) {
          largest.size = size;
          largest.by = name;
        }
      },
    ),
  );
  return { sandbox, largest };
}

function outcome(sandbox: ReturnType<typeof createSandbox>, expr: string): TkError | unknown {
  try {
    return sandbox.compile(expr).evaluate().value;
  } catch (err) {
    return err;
  }
}

describe('the examples of issue 10 item 2 are refused before they build', () => {
  const zeros1500 = ',0'.repeat(1500);
  const cases: [string, string, RegExp][] = [
    // .T sized its result from the first row: 1.5e9 elements, an out-of-memory abort
    [
      `len([ones(1000000)${zeros1500}].T)`,
      'LIMIT_EXCEEDED',
      /an array literal would hold at least 1000001 elements \(the limit is 1000000\)/,
    ],
    // array literals were never counted: 50 million elements
    [
      `len([${Array(50).fill('zeros(1000000)').join(', ')}])`,
      'LIMIT_EXCEEDED',
      /an array literal would hold at least 2000000 elements \(the limit is 1000000\)/,
    ],
    // a ragged literal read as shape [2,1,1] by the broadcast check: 9 million elements
    ['hypot([[[1]], ones(3000,1)], ones(1,3000))', 'EXPRESSION', /ragged arrays are not allowed/],
    ['arctan2([[[1]], ones(3000,1)], ones(1,3000))', 'EXPRESSION', /ragged arrays are not allowed/],
    ['fmod([[[1]], ones(3000,1)], ones(1,3000))', 'EXPRESSION', /ragged arrays are not allowed/],
    ['ldexp([[[1]], ones(3000,1)], ones(1,3000))', 'EXPRESSION', /ragged arrays are not allowed/],
    // a text of 20 million characters, then a list of them
    [
      'list(str(rand(1000,1000)))',
      'LIMIT_EXCEEDED',
      /str\(\) of an array of 1000000 elements would have at least 2999998 characters \(the limit is 1000000\)/,
    ],
  ];
  it.each(cases)('%s', (expr, code, message) => {
    const { sandbox, largest } = probed();
    const err = outcome(sandbox, expr);
    expect(err).toBeInstanceOf(TkError);
    expect((err as TkError).code).toBe(code);
    expect((err as TkError).message).toMatch(message);
    // the error names the expression (cut to 200 characters)
    expect((err as TkError).message).toContain(expr.slice(0, 40));
    expect(largest.size).toBeLessThanOrEqual(sandbox.limits.maxElements);
  });

  it('the ragged transpose itself is refused when it reaches .T (a small limit)', () => {
    const { sandbox, largest } = probed({ maxElements: 64 });
    const err = outcome(sandbox, `[ones(60)${',0'.repeat(3)}].T`);
    expect((err as TkError).code).toBe('LIMIT_EXCEEDED');
    expect(largest.size).toBeLessThanOrEqual(64);
  });

  it('texts count their characters: joining, repeating, listing', () => {
    const { sandbox, largest } = probed({ maxElements: 64 });
    expect((outcome(sandbox, '"a"*40 + "b"*40') as TkError).message).toMatch(
      /the joined text would have 80 characters \(the limit is 64\)/,
    );
    expect((outcome(sandbox, 'list("ab"*32 + "c")') as TkError).code).toBe('LIMIT_EXCEEDED');
    expect(outcome(sandbox, 'len(list("ab"*32))')).toMatchObject({ magnitude: 64 });
    expect(largest.size).toBeLessThanOrEqual(64);
  });

  it('dot() counts its result, not only its work', () => {
    const { sandbox, largest } = probed({ maxElements: 64 });
    expect((outcome(sandbox, 'dot(ones(64, 1), ones(1, 64))') as TkError).message).toMatch(
      /the result of dot\(\) of shapes \[64,1\] and \[1,64\] would have 4096 elements \(the limit is 64\)/,
    );
    expect(largest.size).toBeLessThanOrEqual(64);
  });

  it('the arguments of one call are counted as they are evaluated', () => {
    const { sandbox, largest } = probed({ maxElements: 64 });
    const err = outcome(sandbox, `max(${Array(10).fill('ones(60)').join(', ')})`) as TkError;
    expect(err.message).toMatch(
      /the arguments of max\(\) would hold at least 180 elements \(the limit is 128\)/,
    );
    expect(largest.size).toBeLessThanOrEqual(64);
  });

  it('ragged inputs are refused, naming the input', () => {
    const sandbox = createSandbox();
    expect(() => sandbox.toMathValue([[1, 2], [3]], 'x.T')).toThrow(/an input is a ragged array/);
  });
});

/** Array expressions of small sizes, composed by the array functions and operators. */
const arrayExpr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: 0, max: 40 }).map((n) => `ones(${n})`),
    fc
      .tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }))
      .map(([a, b]) => `zeros(${a}, ${b})`),
    fc.integer({ min: 0, max: 40 }).map((n) => `rand(${n})`),
    fc.integer({ min: 0, max: 12 }).map((n) => `arange(${n})`),
    fc.integer({ min: 0, max: 9 }).map((n) => String(n)),
    fc.constantFrom('"ab"', '"xyz"', 'True'),
    fc.array(tie('e'), { minLength: 1, maxLength: 8 }).map((items) => `[${items.join(', ')}]`),
    tie('e').map((a) => `(${a}).T`),
    // literals of mixed items, where ragged arrays are born, straight into an operation
    fc
      .tuple(
        fc.constantFrom('(%).T', 'hypot(%, ones(3, 1))', 'str(%)', 'sum(%)', '% + [1]', 'shape(%)'),
        fc.array(tie('e'), { minLength: 2, maxLength: 8 }),
      )
      .map(([op, items]) => op.replace('%', `[${items.join(', ')}]`)),
    tie('e').map((a) => `str(${a})`),
    tie('e').map((a) => `list(${a})`),
    tie('e').map((a) => `round(${a}, 2)`),
    tie('e').map((a) => `abs(${a})`),
    tie('e').map((a) => `sum(${a})`),
    tie('e').map((a) => `Q(${a}, "m")`),
    tie('e').map((a) => `(${a})[::2]`),
    tie('e').map((a) => `logspace(0, 1, len(${a}))`),
    fc.tuple(tie('e'), fc.integer({ min: 0, max: 20 })).map(([a, n]) => `(${a}) * ${n}`),
    fc
      .tuple(fc.constantFrom('hypot', 'arctan2', 'fmod', 'ldexp', 'dot', 'pow', 'max'), tie('e'), tie('e'))
      .map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc
      .tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '**', '//', '%', '<', '==', 'and'), tie('e'))
      .map(([a, op, b]) => `(${a}) ${op} (${b})`),
  ),
})).e;

describe('no composition of the array functions builds past the element limit', () => {
  // one sandbox for all runs (creating its mathjs instance is what costs)
  const { sandbox, largest } = probed({ maxElements: 64 });
  test.prop([arrayExpr], { numRuns: 300, seed: 20261207 })(
    'every operation stays within 64 elements',
    (expr) => {
      largest.size = 0;
      const r = outcome(sandbox, expr);
      if (r instanceof Error) {
        // refused or failed with the sandbox's own errors, never a crash of the engine
        expect(r, `${expr}: ${r.message}`).toBeInstanceOf(TkError);
        expect(['EXPRESSION', 'LIMIT_EXCEEDED']).toContain((r as TkError).code);
      }
      expect(largest.size, `${expr}: ${largest.by} returned ${largest.size} elements`).toBeLessThanOrEqual(
        64,
      );
    },
  );
});
