import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidNodePath, isValidPath } from '../../src/oldb-store/path.js';
import {
  createOldbValidators,
  parseCanonicalAttributeName,
  parseFullName,
  plainAttributeSlash,
} from '../../src/schemes/oldb/names/validators.js';

const v = createOldbValidators();

describe('cii.oldb names: table', () => {
  const attributes: [string, string, string, string, string | undefined][] = [
    // name, full, normal, simple, fragment
    [
      'cii.oldb:/root/example/double/sine',
      'cii.oldb:/root/example/double/sine',
      '/root/example/double/sine',
      'sine',
      undefined,
    ],
    [
      'cii.oldb:/root/example/double/sine#rvalue.units',
      'cii.oldb:/root/example/double/sine',
      '/root/example/double/sine',
      'sine',
      'rvalue.units',
    ],
    [
      'cii.oldb:///root/example/double/sine',
      'cii.oldb:/root/example/double/sine',
      '/root/example/double/sine',
      'sine',
      undefined,
    ],
    ['cii.oldb:/root/sine', 'cii.oldb:/root/sine', '/root/sine', 'sine', undefined],
    [
      'cii.oldb://Host.Example:6379/root/a/b',
      'cii.oldb://host.example:6379/root/a/b',
      '//host.example/root/a/b',
      'b',
      undefined,
    ],
    [
      'cii.oldb://host.example/root/a/b#label',
      'cii.oldb://host.example:6379/root/a/b',
      '//host.example/root/a/b',
      'b',
      'label',
    ],
    [
      'cii.oldb://10.0.0.1:6380/root/a_1/b-2',
      'cii.oldb://10.0.0.1:6380/root/a_1/b-2',
      '//10.0.0.1:6380/root/a_1/b-2',
      'b-2',
      undefined,
    ],
    [
      'cii.oldb://[::1]:7000/root/a/b',
      'cii.oldb://[::1]:7000/root/a/b',
      '//[::1]:7000/root/a/b',
      'b',
      undefined,
    ],
    ['cii.oldb:/root/a/b#rvalue[0:2]', 'cii.oldb:/root/a/b', '/root/a/b', 'b', 'rvalue[0:2]'],
    ['cii.oldb:/root/a/b#', 'cii.oldb:/root/a/b', '/root/a/b', 'b', ''],
    // datapoints of real installations live under any top-level node (issue 15)
    ['cii.oldb:/elt/tdm/ocm', 'cii.oldb:/elt/tdm/ocm', '/elt/tdm/ocm', 'ocm', undefined],
    [
      'cii.oldb:///elt/hlcc/trksim/ctrl/state#label',
      'cii.oldb:/elt/hlcc/trksim/ctrl/state',
      '/elt/hlcc/trksim/ctrl/state',
      'state',
      'label',
    ],
    [
      'cii.oldb://OLDB.eso.org:6380/elt/tdm/ocm',
      'cii.oldb://oldb.eso.org:6380/elt/tdm/ocm',
      '//oldb.eso.org:6380/elt/tdm/ocm',
      'ocm',
      undefined,
    ],
    ['cii.oldb:/other/a', 'cii.oldb:/other/a', '/other/a', 'a', undefined],
    ['cii.oldb:/rootx/a', 'cii.oldb:/rootx/a', '/rootx/a', 'a', undefined],
  ];
  it.each(attributes)('attribute %s', (name, full, normal, simple, fragment) => {
    expect(v.attribute.isValid(name)).toBe(true);
    expect(v.attribute.getNames(name)).toEqual({
      fullName: full,
      normalName: normal,
      simpleName: simple,
      fragment,
    });
  });

  const invalidAttributes = [
    'cii.oldb:/root', // no attribute: a node
    'cii.oldb:/elt', // no attribute: a node
    'cii.oldb:/', // the top
    'cii.oldb:/root/', // empty segment
    'cii.oldb:/root//sine', // empty device segment (the seed accepted it)
    'cii.oldb://elt/tdm', // "elt" is read as a server: no attribute left
    'cii.oldb:root/a/b', // relative
    'cii.oldb:/root/a/b/', // trailing slash
    'cii.oldb:/root/a b/c', // space
    'cii.oldb:/root/a.b/c', // dot
    'cii.oldb://user:pw@host/root/a/b', // credentials
    'cii.oldb://host:0/root/a/b', // port 0
    'cii.oldb://host:65536/root/a/b', // port too big
    'cii.oldb://host:06379/root/a/b', // leading zero
    'cii.oldb://host:/root/a/b', // empty port
    'cii.oldb://-host/root/a/b', // bad host
    'cii.oldb:/root/a/b?x=1', // no query
    'cii.oldb:/root/a/b#x y', // space in fragment
    'cii.oldb:/root/a/b#x#y', // two fragments
    'cii.oldbx:/root/a/b', // scheme
    'CII.OLDB:/root/a/b', // scheme is lower case
    'eval:/root/a/b',
    '',
  ];
  it.each(invalidAttributes)('invalid attribute %j', (name) => {
    expect(v.attribute.isValid(name)).toBe(false);
    expect(() => v.attribute.validate(name)).toThrow(/Invalid cii\.oldb attribute name/);
  });

  it('names the failing part in errors', () => {
    expect(() => v.attribute.validate('cii.oldb://user:pw@host/root/a/b')).toThrow(/authority|path/);
    expect(() => v.attribute.validate('cii.oldb:/elt')).toThrow(/\/elt\/tdm\/ocm/);
  });

  it('devices and authorities', () => {
    expect(v.device.getNames('cii.oldb:/root/example/double')).toEqual({
      fullName: 'cii.oldb:/root/example/double',
      normalName: '/root/example/double',
      simpleName: '/root/example/double',
      fragment: undefined,
    });
    expect(v.device.getNames('cii.oldb://H:6379/root')?.fullName).toBe('cii.oldb://h:6379/root');
    expect(v.device.isValid('cii.oldb:/root/')).toBe(false);
    expect(v.authority.getNames('cii.oldb://')).toMatchObject({
      fullName: 'cii.oldb://',
      simpleName: 'default',
    });
    expect(v.authority.getNames('cii.oldb://Box')).toMatchObject({
      fullName: 'cii.oldb://box:6379',
      normalName: '//box',
      simpleName: 'box:6379',
    });
    expect(v.authority.isValid('cii.oldb://box/root')).toBe(false);
    expect(v.attribute.getParentName('cii.oldb://box/root/a/b/c')).toBe('cii.oldb://box:6379/root/a/b');
    expect(v.attribute.getParentName('cii.oldb:/root/c')).toBe('cii.oldb:/root');
    // any top-level node is a device
    expect(v.device.getNames('cii.oldb:/elt/tdm')).toEqual({
      fullName: 'cii.oldb:/elt/tdm',
      normalName: '/elt/tdm',
      simpleName: '/elt/tdm',
      fragment: undefined,
    });
    expect(v.device.getNames('cii.oldb:///elt')?.fullName).toBe('cii.oldb:/elt');
    expect(v.attribute.getParentName('cii.oldb:/elt/tdm/ocm')).toBe('cii.oldb:/elt/tdm');
    expect(v.device.isValid('cii.oldb:/')).toBe(false);
  });

  it('reads server and path off canonical attribute full names, and leaves anything else to a match', () => {
    for (const full of [
      'cii.oldb:/root/a/b',
      'cii.oldb:/elt/tdm/ocm',
      'cii.oldb://oldb.example.org:6380/root/a/b',
      'cii.oldb://[::1]:6379/root/x/y',
    ])
      expect(parseCanonicalAttributeName(full)).toEqual(parseFullName(full, v));
    expect(parseCanonicalAttributeName('cii.oldb://h:6379/root/x')).toEqual({
      host: 'h',
      port: 6379,
      path: '/root/x',
    });
    for (const other of [
      'cii.oldb:/root',
      'cii.oldb:///root/a',
      'cii.oldb://h/root/a',
      'cii.oldbx:/a/b',
      'loc:/a/b',
    ])
      expect(parseCanonicalAttributeName(other)).toBeUndefined();
  });

  it('parses full names into server and path', () => {
    expect(parseFullName('cii.oldb:/root/a/b', v)).toEqual({
      host: undefined,
      port: undefined,
      path: '/root/a/b',
    });
    expect(parseFullName('cii.oldb://h:1/root/a', v)).toEqual({ host: 'h', port: 1, path: '/root/a' });
    expect(parseFullName('cii.oldb://h:1', v)).toEqual({ host: 'h', port: 1, path: '/' });
    expect(parseFullName('cii.oldb:/elt/tdm/ocm', v)).toMatchObject({
      host: undefined,
      path: '/elt/tdm/ocm',
    });
    expect(parseFullName('cii.oldb:/elt/tdm', v)).toMatchObject({ path: '/elt/tdm' });
  });
});

const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);
const host = fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.-]{0,10}$/), fc.ipV4(), fc.constant('[::1]'));
const port = fc.integer({ min: 1, max: 65535 });

describe('cii.oldb names: properties', () => {
  it('every generated name is valid; equivalent spellings have one canonical full name, which is a fixed point', () => {
    fc.assert(
      fc.property(
        fc.option(fc.tuple(host, fc.option(port))),
        fc.oneof(fc.constant('root'), segment),
        fc.array(segment, { minLength: 1, maxLength: 6 }),
        fc.option(fc.stringMatching(/^[a-z.[\]0-9:]{0,10}$/)),
        (server, top, segs, fragment) => {
          const path = `/${top}/${segs.join('/')}`;
          const auth = server === null ? '' : `//${server[0]}${server[1] === null ? '' : `:${server[1]}`}`;
          const name = `cii.oldb:${auth}${path}${fragment === null ? '' : `#${fragment}`}`;
          const names = v.attribute.getNames(name);
          expect(names).not.toBeNull();
          expect(names!.simpleName).toBe(segs.at(-1));
          expect(names!.fragment).toBe(fragment ?? undefined);
          // fixed point
          expect(v.attribute.getNames(names!.fullName)!.fullName).toBe(names!.fullName);
          // the server and path read off the full name without a match are those a match finds
          expect(parseCanonicalAttributeName(names!.fullName)).toEqual(parseFullName(names!.fullName, v));
          // equivalent spellings
          const variants =
            server === null
              ? [`cii.oldb:///${path.slice(1)}`]
              : [
                  `cii.oldb://${server[0].toUpperCase()}${server[1] === null ? '' : `:${server[1]}`}${path}`,
                  `cii.oldb://${server[0]}:${server[1] ?? 6379}${path}`,
                ];
          for (const alt of variants) expect(v.attribute.getNames(alt)?.fullName).toBe(names!.fullName);
          // the parent device is valid and has the device path
          const parent = v.attribute.getParentName(name)!;
          expect(v.device.isValid(parent)).toBe(true);
          expect(v.device.getNames(parent)!.simpleName).toBe(path.slice(0, path.lastIndexOf('/')));
          // the store accepts the same path, as a datapoint; its node as a node
          expect(isValidPath(path)).toBe(true);
          expect(isValidNodePath(path.slice(0, path.lastIndexOf('/')))).toBe(true);
        },
      ),
      { seed: 7, numRuns: 500 },
    );
  });

  it('arbitrary strings never throw; whatever is valid round-trips through its full name', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc
            .array(
              fc.constantFrom(
                'cii.oldb:',
                '/',
                '//',
                'root',
                'a',
                '_',
                '-',
                ':',
                '@',
                '#',
                '?',
                '6379',
                '.',
                ' ',
              ),
              {
                maxLength: 14,
              },
            )
            .map((p) => p.join('')),
        ),
        (s) => {
          const full = v.attribute.getNames(s)?.fullName;
          if (full !== undefined) expect(parseCanonicalAttributeName(full)).toEqual(parseFullName(full, v));
          for (const val of [v.attribute, v.device, v.authority]) {
            const n = val.getNames(s);
            if (val.isValid(s)) {
              expect(n).not.toBeNull();
              expect(val.getNames(n!.fullName)!.fullName).toBe(n!.fullName);
              expect(n!.fullName).not.toContain('@');
            } else expect(n).toBeNull();
          }
        },
      ),
      { seed: 11, numRuns: 2000 },
    );
  });

  it('the scan of plain names and the expression agree: same names accepted as plain, same names found', () => {
    const attr = v.attribute;
    /** What the expression alone says (the validator's getNames without its scan). */
    const byExpression = (s: string) => {
      const g = attr.getUriGroups(s, { strict: true });
      const plain =
        g !== null && g.authority === undefined && g.fragment === undefined && g.query === undefined;
      return { plain, g };
    };
    const check = (s: string) => {
      const { plain, g } = byExpression(s);
      expect(plainAttributeSlash(s) > 0).toBe(plain);
      if (!plain) return;
      const names = attr.getNames(s)!;
      expect(names).toEqual({
        fullName: `cii.oldb:${g!.devname}/${g!.attrname}`,
        normalName: `${g!.devname}/${g!.attrname}`,
        simpleName: g!.attrname,
        fragment: undefined,
      });
      expect(names.fullName).toBe(s);
      expect(attr.isValid(s, { strict: true })).toBe(true);
    };
    fc.assert(
      fc.property(
        fc.oneof(
          // near the plain form: its characters, and the ones that end it or make it invalid
          fc
            .array(
              fc.constantFrom('/', '//', 'a', 'Z', '9', '_', '-', '.', '#', '?', ':', ' ', 'é', '\n', 'root'),
              {
                maxLength: 12,
              },
            )
            .map((p) => `cii.oldb:${p.join('')}`),
          fc.array(segment, { minLength: 0, maxLength: 5 }).map((segs) => `cii.oldb:/${segs.join('/')}`),
          // segments with one character of another kind now and then
          fc
            .array(
              fc.stringMatching(/^[A-Za-z0-9_-]{0,3}[A-Za-z0-9_\-./#?: \t\u00e9@%]?[A-Za-z0-9_-]{0,3}$/),
              {
                minLength: 1,
                maxLength: 4,
              },
            )
            .map((segs) => `cii.oldb:/${segs.join('/')}`),
          fc
            .tuple(
              fc.constantFrom('cii.oldb:', 'CII.oldb:', 'cii.oldb', 'cii.oldbx:', 'cii-oldb:', ''),
              fc.string(),
            )
            .map(([a, b]) => a + b),
          fc.string(),
        ),
        check,
      ),
      { seed: 13, numRuns: 3000 },
    );
    for (const s of [
      'cii.oldb:/a/b',
      'cii.oldb:/root/x/y_z-1',
      'cii.oldb:/a',
      'cii.oldb:/a/',
      'cii.oldb://h/a/b',
      'cii.oldb:///a/b',
      'cii.oldb:/a//b',
      'cii.oldb:/a/b#',
      'cii.oldb:/a/b?q',
      'cii.oldb:/a.b/c',
      'cii.oldb:/a/b c',
      'cii.oldb:/a/b\u00e9',
      'cii.oldb:/a/b\n',
    ])
      check(s);
    expect(plainAttributeSlash('cii.oldb:/root/a/b')).toBe('cii.oldb:/root/a'.length);
  });

  it('names carrying credentials are never valid', () => {
    fc.assert(
      fc.property(segment, segment, host, (user, pw, h) => {
        expect(v.attribute.isValid(`cii.oldb://${user}:${pw}@${h}/root/a/b`)).toBe(false);
        expect(v.attribute.isValid(`cii.oldb://${user}@${h}/root/a/b`)).toBe(false);
      }),
      { seed: 3 },
    );
  });

  it('completes on 100 kB adversarial inputs (the expression is linear; a quadratic one would not finish in the test timeout)', () => {
    const n = 100_000;
    const inputs = [
      `cii.oldb:/root${'/a'.repeat(n / 2)}!`,
      `cii.oldb:/root/${'a'.repeat(n)}/`,
      `cii.oldb:/root/${'a/'.repeat(n / 2)}`,
      `cii.oldb:/root/${'a'.repeat(n)} `,
      `cii.oldb://${'a'.repeat(n)}:/root/a/b`,
      `cii.oldb://${'1'.repeat(n)}:99999/root/a`,
      `cii.oldb:/root/a/b#${'#'.repeat(n)}`,
      `cii.oldb:${'/'.repeat(n)}`,
    ];
    for (const s of inputs) {
      expect(v.attribute.isValid(s)).toBe(false);
      expect(v.device.isValid(s)).toBe(false);
      expect(v.authority.isValid(s)).toBe(false);
    }
    expect(v.attribute.isValid(`cii.oldb:/root${'/a'.repeat(n / 2)}`)).toBe(true);
    expect(v.attribute.isValid(`cii.oldb:${'/a'.repeat(n / 2)}`)).toBe(true);
    expect(v.attribute.isValid(`cii.oldb:${'/a'.repeat(n / 2)}/`)).toBe(false);
  }, 20_000);
});
