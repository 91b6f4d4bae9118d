/**
 * A complexity guard for eval names, not a benchmark: quadratic scanning, or
 * validating every occurrence of a reference again (and again through the
 * manager), takes hundreds of ms on these 100 kB inputs; linear matching with
 * each distinct reference validated once takes a few ms. Best of 3, < 250 ms (a quadratic match takes seconds).
 */
import { describe, expect, it } from 'vitest';
import { createManager } from '../../src/index.js';
import { createEvalOnlyResolver, createEvalValidators } from '../../src/schemes/eval/names/index.js';
import { adversarialNames, timeValidation } from '../../src/testing/index.js';
import type { NameValidator } from '../../src/validators/name-validator.js';

const resolver = createEvalOnlyResolver();
const validators = createEvalValidators(resolver);

describe('eval names: 100 kB adversarial inputs', () => {
  const k = 100_000;
  /** `eval:{ref(0)}+{ref(1)}+...+1`, about `k` characters long. */
  const numbered = (ref: (i: number) => string, sep = '+') => {
    const parts: string[] = [];
    for (let i = 0, n = 0; n < k; i++) {
      const part = `{${ref(i)}}${sep}`;
      parts.push(part);
      n += part.length;
    }
    return `eval:${parts.join('')}1`;
  };
  const referenceHeavy = [
    `eval:${'{'.repeat(k / 2)}${'}'.repeat(k / 2)}`,
    `eval:${'a=1;'.repeat(k / 4)}`,
    `eval:@${'a.'.repeat(k / 2)}`,
    `eval:@c=m.C(${')'.repeat(k)}`,
    `eval:@c=m.C(${')/'.repeat(k / 2)}`,
    `eval://dev=m.C(${')?'.repeat(k / 2)}`,
    `eval:${'"'.repeat(k)}`,
    `eval:${`"${'\n'}`.repeat(k / 2)};`,
    `eval:${'{eval:1}'.repeat(k / 8)}`,
    `eval:${'{1}+'.repeat(k / 4)}1`,
    numbered((i) => `${i}`),
    numbered((i) => `eval:${i}`),
    numbered((i) => `eval:{eval:${i}}`),
    numbered((i) => `eval:x=${i};x`, '*'),
    `eval:${'{eval:{eval:1}}+'.repeat(k / 16)}1`,
    `eval:"${'{eval:1}'.repeat(k / 8)}"`,
    `eval://${'a'.repeat(k)}?${'b=1;'.repeat(k / 4)}`,
    `eval:1#${'a'.repeat(k)} `,
    `eval:${'@'.repeat(k)}`,
  ];
  const guard = (label: string, v: NameValidator, inputs: readonly string[]) => {
    for (const input of inputs) {
      const what = `${label} ${JSON.stringify(input.slice(0, 40))}... (${input.length} chars)`;
      expect(
        timeValidation((s) => v.isValid(s), input),
        `isValid ${what}`,
      ).toBeLessThan(250);
      expect(
        timeValidation((s) => v.getNames(s), input),
        `getNames ${what}`,
      ).toBeLessThan(250);
    }
  };

  it('adversarial 100 kB inputs are answered in well under 50 ms (linear-time matching)', () => {
    for (const [kind, v] of Object.entries(validators)) guard(kind, v, adversarialNames(v, k));
    // the resolver's own validator: references of eval references come back to it, as in a manager
    const own = resolver.getValidator('eval', 'Attribute')!;
    guard('attribute', own, [...adversarialNames(own, k), ...referenceHeavy]);
    expect(validators.attribute.isValid(`eval:${'{eval:1}+'.repeat(1000)}1`)).toBe(true);
    expect(validators.attribute.isValid(numbered((i) => `eval:${i}`))).toBe(true);
  });

  it('reference-heavy 100 kB inputs through a manager with the built-in schemes: each distinct reference once', () => {
    const m = createManager({ gcTime: 0 });
    const v = m.getValidator('eval', 'Attribute');
    const withLoc = [
      numbered((i) => `loc:/a/b${i}`),
      `eval:${'{loc:/a/b}+'.repeat(k / 11)}1`,
      numbered((i) => `eval:{loc:/a/b${i}}`),
    ];
    guard('manager', v, [...referenceHeavy, ...withLoc]);
    const heavy = numbered((i) => `eval:${i}`);
    expect(m.isValidName(heavy)).toBe(true);
    expect(m.getNames(heavy)?.simpleName).toBe(heavy.slice(5).replace(/\{eval:(\d+)\}/g, '$1'));
    expect(m.getNames(heavy)?.fullName).toBe(
      `eval://localhost/@DefaultEvaluator/${heavy.slice(5).replace(/\{eval:(\d+)\}/g, '{eval://localhost/@DefaultEvaluator/$1}')}`,
    );
    void m.dispose();
  });
});
