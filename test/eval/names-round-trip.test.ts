/**
 * A full name names what it was made from: for every valid eval name n, the
 * full name of getNames(n).fullName is getNames(n).fullName again (for each
 * element type, and through a manager), and it is valid as the same type.
 */
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createManager, InvalidNameError } from '../../src/index.js';
import { createEvalOnlyResolver, createEvalValidators } from '../../src/schemes/eval/names/index.js';
import { allNames } from './eval-name-arbitraries.js';

const validators = createEvalValidators(createEvalOnlyResolver());
const KINDS = ['attribute', 'device', 'authority'] as const;

describe('eval full names are fixed points of getNames', () => {
  test.prop([allNames], { numRuns: 3000, seed: 20261207 })('for each element type', (n) => {
    for (const kind of KINDS) {
      const v = validators[kind];
      const names = v.getNames(n);
      if (names === null) continue;
      expect(v.isValid(names.fullName), `${kind} full name of ${JSON.stringify(n)}`).toBe(true);
      expect(v.getNames(names.fullName)?.fullName, `${kind} ${JSON.stringify(n)}`).toBe(names.fullName);
    }
  });

  const m = createManager();
  test.prop([allNames], { numRuns: 1500, seed: 20261208 })('through a manager', (n) => {
    const names = m.getNames(n);
    if (names === null) return;
    expect(m.getNames(names.fullName)?.fullName, JSON.stringify(n)).toBe(names.fullName);
  });

  it.each([
    ['eval://localhost/@foo', 'eval://localhost/@foo'],
    ['eval:@foo', 'eval://localhost/@foo'],
    ['eval://localhost/@DefaultEvaluator', 'eval://localhost/@DefaultEvaluator'],
    // as Taurus, a manager reads eval://localhost as an attribute (old syntax) before an authority
    ['eval://localhost', 'eval://localhost/@DefaultEvaluator/localhost'],
    ['eval:{eval://@a}0', null],
    ["eval:@c=m.C('x)/y')", "eval://localhost/@c=m.C('x)/y')"],
    ['eval://1+2', 'eval://localhost/@DefaultEvaluator/1+2'],
    ['eval://a*b?a=1;b=2', 'eval://localhost/@DefaultEvaluator/a=1;b=2;a*b'],
    ['eval://dev=foo;x', 'eval://localhost/@foo/x'],
  ])('%s is %s, and stays so', (n, full) => {
    expect(m.getNames(n)?.fullName ?? null).toBe(full);
    if (full !== null) expect(m.getNames(full)?.fullName).toBe(full);
  });

  it('eval://localhost/@foo names the evaluator device (it is not an attribute whose expression holds "@")', () => {
    expect(m.getValidTypesForName('eval://localhost/@foo')).toEqual(['Device']);
    expect(() => m.attribute('eval://localhost/@foo')).toThrow(InvalidNameError);
    expect(m.device('eval://localhost/@foo').fullName).toBe('eval://localhost/@foo');
  });
});
