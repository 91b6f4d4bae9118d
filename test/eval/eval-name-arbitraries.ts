/**
 * fast-check arbitraries of eval names for the names tests: valid ones, near
 * misses, nested references, quoting, odd whitespace, substitutions,
 * evaluator devices, fragments and Taurus's old syntax.
 */
import fc from 'fast-check';

const ident = fc.constantFrom('a', 'x', 'foo', 'k1', '_v', 'configuration', 'db', 'dev', 'Q', 'rand', 'ü');
const number = fc.constantFrom('0', '1', '2.5', '1e3', '-1', '256');
const oddChar = fc.constantFrom(
  '@',
  '?',
  '#',
  ';',
  ' ',
  '\n',
  '\t',
  '=',
  '/',
  '{',
  '}',
  '"',
  "'",
  ':',
  '.',
  '\\',
  'é',
  '𝔸',
  '(',
  ')',
);

const expression = (ref: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: ident },
        { weight: 4, arbitrary: number },
        { weight: 3, arbitrary: fc.constantFrom('+', '*', '-', '/', '**', ' ', '(', ')', ',', '.', ' + ') },
        {
          weight: 2,
          arbitrary: fc.constantFrom('sin(', 'rand(', 'Q("12.5m")', 'linspace(-1, 1, 8)', '[1,2]', ')'),
        },
        { weight: 2, arbitrary: fc.constantFrom('"a;b"', "'x'", '"{eval:1}"', '"q"', "'it''s'", '"', "'") },
        { weight: 3, arbitrary: ref.map((r) => `{${r}}`) },
        { weight: 1, arbitrary: oddChar },
      ),
      { minLength: 1, maxLength: 7 },
    )
    .map((parts) => parts.join(''));

const substitutions = (ref: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .array(
      fc
        .tuple(
          ident,
          fc.oneof(
            number,
            ident,
            ref.map((r) => `{${r}}`),
            fc.constantFrom('@', 'a b', ''),
          ),
        )
        .map(([k, val]) => `${k}=${val};`),
      { maxLength: 3 },
    )
    .map((s) => s.join(''));

const device = fc.constantFrom(
  '',
  '',
  '',
  '@foo/',
  '@Foo/',
  '@DefaultEvaluator/',
  '@mymod.MyClass/',
  '@mymod.sub.*/',
  '@c=mymod.MyClass()/',
  '@c=mymod.MyClass("a/b",q=())/',
  "@c=m.C('x)/y')/",
  '@ foo/',
  '@a.b./',
  '@foo',
  '@c=m.C(1)(2)/',
  '@m.Ünï/',
  '/@foo/',
  '/',
);

const prefix = fc.constantFrom(
  'eval:',
  'eval:',
  'eval:',
  '',
  'eval://localhost/',
  'eval:/',
  'evaluation:',
  'eval://localhost',
  'EVAL:',
  'nosuch:',
  'eval:///',
);
const oldPrefix = fc.constantFrom(
  'eval://',
  'evaluation://',
  'eval://db=x;',
  'eval://dev=foo;',
  'eval://db=x;dev=m.C;',
  'eval://dev=foo',
);
const fragment = fc.constantFrom(
  '',
  '',
  '',
  '#label',
  '#rvalue.units',
  '#a b',
  '#a#b',
  '#',
  '#{x}',
  '\n',
  '#x\n',
);
const query = fc.constantFrom(
  '',
  '',
  '?configuration=label',
  '?x=1;y=2',
  '?configuration',
  '?configuration=',
  '?x=1?configuration=u',
  '?a',
  '?x={eval:1}',
);

/** Eval names in every form, most of them valid. */
export const name: fc.Arbitrary<string> = fc.letrec<{ name: string; ref: string }>((tie) => ({
  ref: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    fc.constantFrom(
      'eval:1',
      'eval:@foo',
      '1',
      'x',
      'eval:x=1;x',
      'nosuch:a/b',
      'eval:"a"',
      'evaluation://2',
      'eval://localhost',
      'eval:1#label',
    ),
    tie('name'),
  ),
  name: fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(prefix, device, substitutions(tie('ref')), expression(tie('ref')), fragment)
        .map((p) => p.join('')),
    },
    { weight: 2, arbitrary: fc.tuple(oldPrefix, expression(tie('ref')), query).map((p) => p.join('')) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('eval:', 'eval://', 'eval://dev=', ''), device)
        .map((p) => p.join('').replace(/\/$/, '')),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'eval://localhost',
        '//localhost',
        'eval://db=foo',
        'eval://db=a;b',
        'eval://localhost\n',
        '//db=x',
      ),
    },
  ),
})).name;

/** Near misses: a valid-looking name with one character deleted, inserted or replaced. */
export const nearMiss = fc
  .tuple(name, fc.nat(), oddChar, fc.constantFrom('delete', 'insert', 'replace'))
  .map(([n, at, c, how]) => {
    const i = n.length === 0 ? 0 : at % n.length;
    if (how === 'delete') return n.slice(0, i) + n.slice(i + 1);
    if (how === 'insert') return n.slice(0, i) + c + n.slice(i);
    return n.slice(0, i) + c + n.slice(i + 1);
  });

/** Names and near misses, three to one. */
export const allNames = fc.oneof({ weight: 3, arbitrary: name }, { weight: 1, arbitrary: nearMiss });
