/**
 * Table-driven cases for eval names, in the spirit of Taurus's
 * test_evalvalidator.py (adapted: eval is the default scheme, no tango
 * scheme), checked against tk-core and, when python3-taurus is installed,
 * against the real Taurus too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeEvalAttributeName } from '../../src/schemes/eval/names/attribute-groups.js';
import {
  createEvalOnlyResolver,
  createEvalValidators,
  type EvalAttributeNameValidator,
  MAX_REFERENCE_DEPTH,
  parseEvalAttributeName,
} from '../../src/schemes/eval/names/index.js';
import { plainAttributeName } from '../../src/schemes/eval/names/plain-attribute-name.js';
import { describeWithTaurus } from '../support/taurus/describe-with-taurus.js';

type Kind = 'authority' | 'device' | 'attribute';
interface ValidityCase {
  kind: Kind;
  name: string;
  valid: boolean;
  strict?: boolean;
  groups?: Record<string, string | boolean | undefined | string[]>;
  /** Taurus answers the opposite, a documented difference (docs/eval-names.md). */
  taurusDiffers?: string;
}

const v = (kind: Kind, name: string, extra: Partial<ValidityCase> = {}): ValidityCase => ({
  kind,
  name,
  valid: true,
  ...extra,
});
const x = (kind: Kind, name: string, extra: Partial<ValidityCase> = {}): ValidityCase => ({
  kind,
  name,
  valid: false,
  ...extra,
});

const VALIDITY: ValidityCase[] = [
  // authority
  v('authority', 'eval://localhost'),
  x('authority', 'eval://foo:10000'),
  x('authority', 'eval://user@foo:10000'),
  x('authority', 'eval://user@localhost'),
  x('authority', 'eval://localhost/'),
  x('authority', 'eval://localhost/?'),
  x('authority', 'eval:foo'),
  v('authority', 'eval://db=foo', { strict: false }),
  x('authority', 'eval://db=foo', { strict: true }),
  v('authority', '//db=foo', { strict: false }),
  v('authority', '//localhost'),
  v('authority', 'eval://localhost\n'),
  // device
  x('device', 'eval:foo'),
  v('device', 'eval:@foo'),
  v('device', 'eval:@mymod.Myclass', { groups: { devname: '@mymod.Myclass' } }),
  v('device', 'eval:@mymod.mysubmod.Myclass'),
  v('device', 'eval:@mymod.mysubmod.*'),
  v('device', 'eval:@mymod.*'),
  v('device', 'eval:/@foo', { groups: { devname: '@foo', path: '/@foo' } }),
  v('device', 'eval://localhost/@foo'),
  v('device', 'eval:@ foo', { groups: { devname: '@ foo' } }),
  x('device', 'eval:@foo?'),
  v('device', 'eval://dev=foo', { strict: false }),
  v('device', 'eval://db=localhost;dev=foo', { strict: false }),
  x('device', 'eval://@foo', { strict: false }),
  x('device', 'eval://db=localhost;@foo', { strict: false }),
  x('device', 'eval://localhost;dev=foo', { strict: false }),
  x('device', 'eval://a/b', { strict: true }),
  x('device', 'eval://d'),
  x('device', 'eval:@mymod.MyClass()/c.foo'),
  x('device', 'eval:@c=mymod.MyClass(1)/c.foo()'),
  x('device', 'eval:@c=mymod.MyClass("a/b",q=())/float(c.foo())'),
  v('device', 'eval:@c=mymod.MyClass("a/b",q=())', { groups: { devname: '@c=mymod.MyClass("a/b",q=())' } }),
  v('device', "eval:@c=mymod.MyClass('a/b',q=())", { groups: { devname: "@c=mymod.MyClass('a/b',q=())" } }),
  v('device', 'eval:@mod.Ünïcode', { groups: { _evalclassname: 'Ünïcode' } }),
  v('device', 'eval:@a.B\n', { groups: { devname: '@a.B' } }),
  // attribute
  v('attribute', 'eval:1'),
  v('attribute', 'eval:/1', { groups: { path: '/1', attrname: '1' } }),
  v('attribute', 'eval:1/'),
  v('attribute', 'eval:1/3'),
  v('attribute', 'eval:@foo/1'),
  v('attribute', 'eval:@mymod.Myclass/1.2', { groups: { attrname: '1.2', devname: '@mymod.Myclass' } }),
  v('attribute', 'eval:@mymod.*/bar', { groups: { attrname: 'bar', devname: '@mymod.*' } }),
  v('attribute', 'eval://linspace(-1, 1, 256)', {
    strict: false,
    groups: {
      attrname: 'linspace(-1, 1, 256)',
      _expr: 'linspace(-1, 1, 256)',
      _subst: undefined,
      __STRICT__: false,
    },
  }),
  v('attribute', 'eval:rand(256, 128)#label', {
    strict: true,
    groups: {
      attrname: 'rand(256, 128)',
      _expr: 'rand(256, 128)',
      fragment: 'label',
      cfgkey: 'label',
      __STRICT__: true,
    },
  }),
  v('attribute', 'eval:foo=10;rand(256, 128)+foo#label', {
    groups: { attrname: 'foo=10;rand(256, 128)+foo', _expr: 'rand(256, 128)+foo', _subst: 'foo=10;' },
  }),
  v('attribute', 'eval://rand(256, 128)?configuration=label', {
    strict: false,
    groups: { _expr: 'rand(256, 128)', query: 'configuration=label', fragment: 'label', __STRICT__: false },
  }),
  v('attribute', 'eval:foo=1;bar=2;tar=3;foo+bar+tar#label', { groups: { _subst: 'foo=1;bar=2;tar=3;' } }),
  v('attribute', 'eval:a={eval:1#f};a+{eval:2#foo}#bar', {
    groups: {
      _subst: 'a={eval:1#f};',
      _expr: 'a+{eval:2#foo}',
      fragment: 'bar',
      _evalrefs: ['eval:1#f', 'eval:2#foo'],
    },
  }),
  v('attribute', 'eval:@foo/1/3'),
  v('attribute', 'eval:x=2;y=3;x*y'),
  v('attribute', 'eval:@foo/x=2;y=3;x*y'),
  v('attribute', 'eval://dev=foo;1', { strict: false }),
  v('attribute', 'eval://dev=foo;x*y?x=2;y=3', { strict: false }),
  v('attribute', 'eval://a*x?a={eval:1};x=2', { strict: false, groups: { _evalrefs: ['eval:1'] } }),
  x('attribute', 'eval://dev=foo;1', { strict: true }),
  x('attribute', 'eval://1/3', { strict: true }),
  v('attribute', 'eval://configuration?configuration=1', { strict: false }),
  v('attribute', 'eval://foo?bar=1', { strict: false }),
  x('attribute', 'eval://?configuration=1', { strict: false }),
  v('attribute', 'eval://a+b?a=1;b=2?configuration=label', { strict: false }),
  v('attribute', 'eval://1?configuration', { strict: false }),
  x('attribute', 'eval://@foo/1', { strict: true }),
  // Taurus accepts them (expressions `@foo/1`, `localhost/@foo`), but their full names grow at each round
  x('attribute', 'eval://@foo/1', { strict: false, taurusDiffers: 'docs/eval-names.md, 9' }),
  x('attribute', 'eval://localhost/@foo', { strict: false, taurusDiffers: 'docs/eval-names.md, 9' }),
  v('device', 'eval://localhost/@foo', { strict: false }),
  v('attribute', 'eval:/@foo/1', { groups: { path: '/@foo/1', attrname: '1' } }),
  x('attribute', 'eval:@foo'),
  x('attribute', 'eval:{eval:@foo}'), // a reference to a device
  x('attribute', 'eval:{eval:{eval:@foo}}+1'),
  x('attribute', 'eval:{nosuchscheme:a/b/c/d}'), // an unknown scheme
  x('attribute', 'eval:1;2'), // unquoted ';' in the expression
  v('attribute', 'eval:"1;2"'), // quoted ';'
  v('attribute', 'eval:{eval:x=1;x}*2'), // ';' inside a reference
  x('attribute', 'eval:{eval:1'), // unbalanced braces (Taurus raises TypeError)
  x('attribute', 'eval:}{'), // misordered braces (Taurus loops forever)
  x('attribute', 'evaluation:1'),
  v('attribute', 'evaluation://1', { strict: false }),
  v('attribute', 'eval:/', { groups: { attrname: '/', path: '/' } }),
  v('attribute', 'eval:x=@/1;2', { groups: { _subst: 'x=@/1;', _expr: '2' } }),
  v('attribute', 'eval:a=1;#label', { groups: { _subst: undefined, _expr: 'a=1;' } }), // backtracks; then ';' check
  v('attribute', 'eval://localhost1', { strict: false }),
  v('attribute', 'eval:1#a\n', { groups: { fragment: 'a\n' } }),
  x('attribute', 'eval:1#a b'),
  x('attribute', 'eval:1#a#b'),
  x('attribute', 'eval:1?x'),
];

// eval:a=1;#label is matched by Taurus's pattern with an empty substitution list and then refused for its ';'.
VALIDITY.find((c) => c.name === 'eval:a=1;#label')!.valid = false;
delete VALIDITY.find((c) => c.name === 'eval:a=1;#label')!.groups;

const NAMES: Array<{ kind: Kind; name: string; out: [string, string, string] | null }> = [
  { kind: 'authority', name: 'eval://localhost', out: ['eval://localhost', '//localhost', 'localhost'] },
  { kind: 'authority', name: '//localhost', out: ['eval://localhost', '//localhost', 'localhost'] },
  { kind: 'device', name: 'eval://localhost/@foo', out: ['eval://localhost/@foo', '@foo', 'foo'] },
  { kind: 'device', name: 'eval://dev=foo', out: ['eval://localhost/@foo', '@foo', 'foo'] },
  { kind: 'attribute', name: 'eval:1', out: ['eval://localhost/@DefaultEvaluator/1', '1', '1'] },
  { kind: 'attribute', name: 'eval:@Foo/1', out: ['eval://localhost/@Foo/1', '@Foo/1', '1'] },
  {
    kind: 'attribute',
    name: 'eval:@Foo/c=1;cos(0)+c',
    out: ['eval://localhost/@Foo/c=1;cos(0)+c', '@Foo/c=1;cos(0)+c', 'cos(0)+c'],
  },
  {
    kind: 'attribute',
    name: 'eval:a={eval:1#f};a+{eval:2#foo}#bar',
    out: [
      'eval://localhost/@DefaultEvaluator/a={eval://localhost/@DefaultEvaluator/1};a+{eval://localhost/@DefaultEvaluator/2}',
      'a={eval:1#f};a+{eval:2#foo}',
      'a+2',
    ],
  },
  {
    kind: 'attribute',
    name: 'eval:a={eval:"a"};{eval:0}*a*{eval:1+{eval:a=2;a*a}}',
    out: [
      'eval://localhost/@DefaultEvaluator/a={eval://localhost/@DefaultEvaluator/"a"};{eval://localhost/@DefaultEvaluator/0}*a*{eval://localhost/@DefaultEvaluator/1+{eval://localhost/@DefaultEvaluator/a=2;a*a}}',
      'a={eval:"a"};{eval:0}*a*{eval:1+{eval:a=2;a*a}}',
      '0*a*1+a*a',
    ],
  },
  {
    kind: 'attribute',
    name: 'eval:{eval:1}+{eval:2}',
    out: [
      'eval://localhost/@DefaultEvaluator/{eval://localhost/@DefaultEvaluator/1}+{eval://localhost/@DefaultEvaluator/2}',
      '{eval:1}+{eval:2}',
      '1+2',
    ],
  },
  {
    kind: 'attribute',
    name: 'eval:{eval:{eval:foo=1;foo}}',
    out: [
      'eval://localhost/@DefaultEvaluator/{eval://localhost/@DefaultEvaluator/{eval://localhost/@DefaultEvaluator/foo=1;foo}}',
      '{eval:{eval:foo=1;foo}}',
      'foo',
    ],
  },
  // a reference without scheme is an eval reference here (eval is the default scheme)
  {
    kind: 'attribute',
    name: 'eval:x=0;x+{w/x}*x*{eval:x}',
    out: [
      'eval://localhost/@DefaultEvaluator/x=0;x+{eval://localhost/@DefaultEvaluator/w/x}*x*{eval://localhost/@DefaultEvaluator/x}',
      'x=0;x+{w/x}*x*{eval:x}',
      'x+w/x*x*x',
    ],
  },
  {
    kind: 'attribute',
    name: 'eval://dev=foo;x*y?x=2;y=3',
    out: ['eval://localhost/@foo/x=2;y=3;x*y', '@foo/x=2;y=3;x*y', 'x*y'],
  },
  {
    kind: 'attribute',
    name: 'eval:{eval:1}*2',
    out: ['eval://localhost/@DefaultEvaluator/{eval://localhost/@DefaultEvaluator/1}*2', '{eval:1}*2', '1*2'],
  },
  {
    kind: 'attribute',
    name: 'eval:"{eval:1}"+{eval:2}',
    out: [
      'eval://localhost/@DefaultEvaluator/"{eval:1}"+{eval://localhost/@DefaultEvaluator/2}',
      '"{eval:1}"+{eval:2}',
      '"{eval:1}"+2',
    ],
  },
  { kind: 'attribute', name: 'eval:{eval:@foo}+1', out: null },
];

const resolver = createEvalOnlyResolver();
const validators = createEvalValidators(resolver);
const validatorOf = (k: Kind) => validators[k];

describe('eval names: tables', () => {
  for (const c of VALIDITY) {
    it(`${c.kind} ${JSON.stringify(c.name)} is ${c.valid ? 'valid' : 'invalid'}${c.strict === undefined ? '' : ` (strict=${c.strict})`}`, () => {
      const val = validatorOf(c.kind);
      expect(val.isValid(c.name, { strict: c.strict })).toBe(c.valid);
      if (c.groups) {
        const g = val.getUriGroups(c.name, { strict: c.strict }) as Record<string, unknown>;
        const { _evalrefs, ...rest } = c.groups;
        for (const [k, want] of Object.entries(rest)) expect(g[k], k).toEqual(want);
        if (_evalrefs)
          expect((val as EvalAttributeNameValidator).getEvalRefs(c.name, { strict: c.strict })).toEqual(
            _evalrefs,
          );
      }
    });
  }
  for (const c of NAMES) {
    it(`${c.kind} names of ${JSON.stringify(c.name)}`, () => {
      const n = validatorOf(c.kind).getNames(c.name);
      expect(n === null ? null : [n.fullName, n.normalName, n.simpleName]).toEqual(c.out);
    });
  }

  it('parseEvalAttributeName gives the parts the evaluation needs', () => {
    const p = parseEvalAttributeName(
      'eval:@c=mymod.MyClass("a/b",q=())/a={eval:x=1;x};k=2;c.foo*a+k+"{eval:3}"#label',
    );
    expect(p).toMatchObject({
      fullName:
        'eval://localhost/@c=mymod.MyClass("a/b",q=())/a={eval://localhost/@DefaultEvaluator/x=1;x};k=2;c.foo*a+k+"{eval:3}"',
      deviceName: 'eval://localhost/@c=mymod.MyClass("a/b",q=())',
      evaluator: {
        name: '@c=mymod.MyClass("a/b",q=())',
        dotted: { instanceName: 'c', moduleName: 'mymod', className: 'MyClass', args: '("a/b",q=())' },
      },
      substitutions: [
        ['a', '{eval:x=1;x}'],
        ['k', '2'],
      ],
      expression: 'c.foo*a+k+"{eval:3}"',
      refs: ['eval:x=1;x'],
      refFullNames: ['eval://localhost/@DefaultEvaluator/x=1;x'],
      fragment: 'label',
      strict: true,
    });
    expect(parseEvalAttributeName('eval:1')).toMatchObject({
      evaluator: { name: '@DefaultEvaluator' },
      refs: [],
      substitutions: [],
    });
    expect(parseEvalAttributeName('eval:{eval:@foo}')).toBeNull();
    expect(parseEvalAttributeName('eval:1;2')).toBeNull();
  });

  it('rejects references nested deeper than MAX_REFERENCE_DEPTH', () => {
    const nest = (d: number): string => (d === 0 ? 'eval:1' : `eval:{${nest(d - 1)}}`);
    expect(validators.attribute.isValid(nest(MAX_REFERENCE_DEPTH))).toBe(true);
    expect(validators.attribute.isValid(nest(MAX_REFERENCE_DEPTH + 1))).toBe(false);
  });

  it('invalid names get an error that names the input and what would be valid', () => {
    const err = validators.attribute.invalidNameError('eval:1?x');
    expect(err.code).toBe('INVALID_NAME');
    expect(err.message).toContain('"eval:1?x"');
    expect(err.message).toContain('query');
  });
});

describe('eval names: properties', () => {
  const expr = fc.stringMatching(/^[a-z0-9+*/(). ]{1,12}$/).filter((s) => /[^ ]/.test(s));
  const name: fc.Arbitrary<string> = fc.letrec<{ n: string }>((tie) => ({
    n: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      expr.map((e) => `eval:${e}`),
      fc.tuple(tie('n'), expr).map(([r, e]) => `eval:{${r}}*${e}`),
      fc.tuple(expr, tie('n')).map(([e, r]) => `eval:k=${e};k+{${r}}`),
    ),
  })).n;

  it('full names are valid, strict, and their own full names; the fragment is never part of a name', () => {
    fc.assert(
      fc.property(name, fc.constantFrom('', '#label', '#rvalue.units'), (n, frag) => {
        const names = validators.attribute.getNames(n + frag);
        if (names === null) return validators.attribute.isValid(n + frag) === false;
        expect(validators.attribute.isValid(names.fullName, { strict: true })).toBe(true);
        expect(validators.attribute.getNames(names.fullName)?.fullName).toBe(names.fullName);
        expect(validators.attribute.getNames(n)?.fullName).toBe(names.fullName);
        return true;
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describeWithTaurus('eval names: tables agree with Taurus', (oracle) => {
  it('validity and groups of every table row are Taurus answers', async () => {
    const answers = await oracle().batch(
      VALIDITY.map((c) => ({
        op: 'getUriGroups' as const,
        validator: c.kind,
        name: c.name,
        strict: c.strict ?? null,
      })),
    );
    const valid = await oracle().batch(
      VALIDITY.map((c) => ({
        op: 'isValid' as const,
        validator: c.kind,
        name: c.name,
        strict: c.strict ?? null,
      })),
    );
    VALIDITY.forEach((c, i) => {
      const a = valid[i]!;
      const expected = c.taurusDiffers === undefined ? c.valid : !c.valid;
      expect(a.ok ? a.result : false, `${c.kind} ${JSON.stringify(c.name)}`).toBe(expected);
      const g = answers[i]!;
      if (c.groups && g.ok) {
        const got = g.result as Record<string, unknown>;
        for (const [k, want] of Object.entries(c.groups))
          expect(got[k] ?? undefined, `${c.name} ${k}`).toEqual(want);
      }
    });
  });
  it('names of every table row are Taurus answers', async () => {
    const answers = await oracle().batch(
      NAMES.map((c) => ({ op: 'getNames' as const, validator: c.kind, name: c.name })),
    );
    NAMES.forEach((c, i) => {
      const a = answers[i]!;
      // Taurus raises, or gives no full name, where tk-core says "invalid" (docs/eval-names.md)
      const taurus = a.ok && a.result !== null && (a.result as unknown[])[0] !== null ? a.result : null;
      expect(taurus, c.name).toEqual(c.out);
    });
  });
});

describe('the plain-name fast path of isValid and getNames', () => {
  // pieces that exercise every rule: substitutions, braces (nested, unbalanced, deep), ';' inside and
  // outside references, and the characters that hand a name to the full analysis
  const piece = fc.constantFrom(
    'x',
    'a1',
    '_k',
    '2',
    '*',
    '+',
    ' ',
    '\n',
    '=',
    ';',
    '{',
    '}',
    '{eval:1}',
    '{x=1;y}',
    '{a;b}',
    '{{eval:{x}}}',
    '{'.repeat(9) + '}'.repeat(9),
    'k=1;',
    'k={eval:2};',
    '@',
    '?',
    '#',
    '/',
    '"',
    "'",
    'eval:',
    'ü',
  );
  const names = fc
    .tuple(fc.constantFrom('eval:', 'eval:/', 'eval:@', 'ev:', ''), fc.array(piece, { maxLength: 12 }))
    .map(([prefix, ps]) => prefix + ps.join(''));

  it('answers as the full analysis wherever it answers (syntax and references)', () => {
    fc.assert(
      fc.property(names, (name) => {
        const plain = plainAttributeName(name);
        if (plain === undefined) return;
        for (const strict of [false, true]) {
          const full = analyzeEvalAttributeName(name, strict);
          expect(plain === null, `${JSON.stringify(name)} strict=${strict}`).toBe(full === null);
          if (full !== null && plain !== null) {
            // the groups the names are made of
            expect(full.strict).toBe(true);
            expect([...plain.refs]).toEqual([...full.refs]);
            expect(full.groups.attrname).toBe(name.slice(5));
            expect(full.groups._expr).toBe(name.slice(plain.exprStart));
            expect([full.groups.authority, full.groups.devname, full.groups.fragment]).toEqual([
              undefined,
              undefined,
              undefined,
            ]);
          }
        }
      }),
      { numRuns: 20_000, seed: 20261122 },
    );
  });

  it('answers for the names it is for, and leaves the others to the full analysis', () => {
    expect(plainAttributeName('eval:x=1;x*2+{eval:3}')).toEqual({ refs: ['eval:3'], exprStart: 9 });
    expect(plainAttributeName('eval:1;2')).toBeNull();
    expect(plainAttributeName('eval:k=1;')).toBeNull(); // the substitution given back is not an expression
    expect(plainAttributeName('eval:{a')).toBeNull();
    expect(plainAttributeName('eval:@Foo/1')).toBeUndefined();
    expect(plainAttributeName('eval:1#label')).toBeUndefined();
    expect(plainAttributeName('eval:"a;b"')).toBeUndefined();
    expect(plainAttributeName('1+1')).toBeUndefined();
  });
});
