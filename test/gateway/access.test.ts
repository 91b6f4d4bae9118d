import { fc, test } from '@fast-check/vitest';
import { createManager, type Manager, type TkError } from 'tk-core';
import {
  type AccessPolicy,
  type AccessRule,
  compileAccess,
  createGateway,
  type Gateway,
} from 'tk-core/gateway';
import { sharedEmbeddedStore } from 'tk-core/oldb';
import { afterEach, describe, expect, it } from 'vitest';
import { globToRegExp } from '../../src/gateway/access.js';
import { TestClient } from './support/client.js';

describe('access rules: the first rule that matches the name and a role decides', () => {
  const rules: AccessRule[] = [
    { match: 'loc://local/plant/secret/**', roles: ['*'], read: false },
    { match: 'loc://local/plant/**', roles: ['operator'], write: true },
    { match: 'loc://local/plant/*', roles: ['viewer'] },
    { match: 'eval:**', roles: ['operator'] },
  ];
  const decide = compileAccess({ rules });

  it.each([
    ['loc://local/plant/secret/key', ['operator'], false, false, 0],
    ['loc://local/plant/a/x', ['operator'], true, true, 1],
    ['loc://local/plant/a/x', ['viewer'], false, false, -1], // `*` does not cross a `/`
    ['loc://local/plant/x', ['viewer'], true, false, 2], // read by default, writes only when a rule says so
    ['loc://local/plant/x', ['viewer', 'operator'], true, true, 1],
    ['loc://local/plant/x', [], false, false, -1],
    ['loc://local/elsewhere/x', ['operator'], false, false, -1], // no rule: nothing allowed
    ['eval://localhost/@DefaultEvaluator/1+1', ['operator'], true, false, 3],
  ])('%s for %j: read %s, write %s (rule %i)', (name, roles, read, write, rule) => {
    expect(decide(name, roles)).toEqual({ read, write, rule });
  });

  it('decides differently when the rules are in another order (order is the precedence)', () => {
    const swapped = compileAccess({ rules: [rules[1]!, rules[0]!] });
    expect(swapped('loc://local/plant/secret/key', ['operator'])).toMatchObject({ read: true, write: true });
  });

  const segment = fc.constantFrom('a', 'b', 'plant', 'x.y', 'p?q');
  const name = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `loc://local/${s.join('/')}`);
  const pattern = fc
    .array(fc.oneof(segment, fc.constant('*'), fc.constant('**')), { minLength: 1, maxLength: 4 })
    .map((s) => `loc://local/${s.join('/')}`);
  const role = fc.constantFrom('a', 'b', 'c', '*');
  const rule: fc.Arbitrary<AccessRule> = fc.record(
    {
      match: fc.oneof(pattern, fc.constant('**')),
      roles: fc.array(role, { minLength: 1, maxLength: 2 }),
      read: fc.boolean(),
      write: fc.boolean(),
    },
    { requiredKeys: ['match', 'roles'] },
  );

  /** The rule as a person reads it: segments compared one by one. */
  function matches(glob: string, n: string): boolean {
    if (glob === '**') return true;
    const g = glob.split('/');
    const p = n.split('/');
    const go = (i: number, j: number): boolean => {
      if (i === g.length) return j === p.length;
      if (g[i] === '**') {
        for (let k = j; k <= p.length; k++) if (go(i + 1, k)) return true;
        return false;
      }
      if (j === p.length) return false;
      return (g[i] === '*' || g[i] === p[j]) && go(i + 1, j + 1);
    };
    return go(0, 0);
  }

  test.prop([fc.array(rule, { maxLength: 6 }), name, fc.subarray(['a', 'b', 'c'])], { numRuns: 2000 })(
    'for any rules, name and roles: the decision is the first matching rule, and no rule means nothing allowed',
    (rs, n, roles) => {
      const d = compileAccess({ rules: rs })(n, roles);
      const first = rs.findIndex(
        (r) =>
          (r.roles.includes('*') || r.roles.some((x) => roles.includes(x))) && globToRegExp(r.match).test(n),
      );
      expect(d.rule).toBe(first);
      if (first < 0) expect(d).toMatchObject({ read: false, write: false });
      else expect(d).toMatchObject({ read: rs[first]!.read !== false, write: rs[first]!.write === true });
    },
  );

  test.prop([pattern, name])(
    'a glob of whole segments matches as segment-by-segment comparison says (`**` spanning segments)',
    (g, n) => {
      if (!g.split('/').includes('**')) expect(globToRegExp(g).test(n)).toBe(matches(g, n));
      else if (matches(g, n)) expect(globToRegExp(g).test(n)).toBe(true);
    },
  );

  it.each([
    [{ rules: {} }, 'access must be'],
    [{ rules: [{ match: '', roles: ['a'] }] }, 'rules[0].match'],
    [{ rules: [{ match: 'x', roles: [] }] }, 'rules[0].roles'],
    [{ rules: [{ match: 'x', roles: ['a'], write: 'yes' }] }, 'rules[0].write must be true or false'],
    [{ rules: [{ match: 'x', roles: ['a'], wirte: true }] }, 'unknown key "wirte"'],
  ])('refuses the malformed policy %j, naming the rule', (policy, text) => {
    expect(() => compileAccess(policy as unknown as AccessPolicy)).toThrow(text);
  });
});

describe('access rules at the gateway', () => {
  let manager: Manager;
  let gw: Gateway;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    await gw.close();
    await manager.dispose();
  });
  async function start(access?: AccessPolicy, m = createManager({ gcTime: 0 })) {
    manager = m;
    const audit: unknown[] = [];
    gw = await createGateway({
      manager,
      ...(access === undefined ? {} : { access }),
      auth: (token) =>
        token === undefined ? null : { user: token, roles: token === 'op' ? ['operator'] : ['viewer'] },
      audit: (r) => audit.push(r),
    });
    return audit;
  }
  async function as(user: string) {
    const c = await TestClient.connect(gw.url, { token: user });
    clients.push(c);
    return c;
  }
  const P = 'loc:/plant/a/x?type=float&init=1';
  const S = 'loc:/plant/secret/key?type=string&init=s3cret';
  const S0 = 'loc:/plant/secret/key';

  it('by default: reads allowed, writes denied, eval expressions and loc points denied', async () => {
    const store = sharedEmbeddedStore();
    await store.declare(
      '/root/gwdefault/p',
      { type: 'double', value: 1, metadata: { writable: true } },
      { ifExists: 'replace' },
    );
    const audit = await start(
      undefined,
      createManager({ gcTime: 0, schemeOptions: { 'cii.oldb': { store: 'embedded' } } }),
    );
    const c = await as('op');
    const O = 'cii.oldb:/root/gwdefault/p';
    expect(String((await c.request('read', { name: O })).reading.rvalue)).toBe('1');
    const w = (await c.request('write', { name: O, value: 2 }).catch((e) => e)) as TkError;
    expect(w.code).toBe('FORBIDDEN');
    expect(w.message).toContain('may not write');
    expect(audit).toEqual([expect.objectContaining({ user: 'op', result: 'FORBIDDEN', requested: '2' })]);
    const { refused } = await c.request('subscribe', {
      items: [
        { sid: 1, name: 'eval:1+1' },
        { sid: 2, name: P },
      ],
    });
    expect(refused.map((r) => [r.sid, r.error.code])).toEqual([
      [1, 'FORBIDDEN'],
      [2, 'FORBIDDEN'],
    ]);
  });

  it('applies the rules to every request, and to the references of an expression at any depth', async () => {
    await start({
      rules: [
        { match: 'loc://local/plant/secret/**', roles: ['*'], read: false },
        { match: 'loc:**', roles: ['operator'], read: true, write: true },
        { match: 'loc:**', roles: ['viewer'], read: true },
        { match: 'eval:**', roles: ['*'], read: true },
      ],
    });
    const op = await as('op');
    const viewer = await as('vi');
    expect((await op.request('write', { name: P, value: 5 })).reading).not.toBeNull();
    expect(((await viewer.request('write', { name: P, value: 6 }).catch((e) => e)) as TkError).code).toBe(
      'FORBIDDEN',
    );
    for (const [type, body] of [
      ['read', { name: S }],
      ['fragment', { uri: `${S}#rvalue` }],
      ['write', { name: S, value: 'x' }],
    ] as const) {
      const e = (await op.request(type, body as never).catch((err) => err)) as TkError;
      expect(e.code, type).toBe('FORBIDDEN');
    }
    // an expression is no way around a rule: its references are checked, nested ones too
    const sneaky = `eval:{eval:{${S0}}+1}*2`;
    const { refused } = await op.request('subscribe', {
      items: [
        { sid: 1, name: sneaky },
        { sid: 2, name: 'eval:{loc:/plant/a/x}*2' },
      ],
    });
    expect(refused.map((r) => r.sid)).toEqual([1]);
    expect(refused[0]!.error.message).toContain('its expression reads loc://local/plant/secret/key');
    await op.waitFor((m) => m.type === 'value' && m.sid === 2);
    // listing a device shows the readable children only
    const kids = await op.request('children', { name: 'loc:/plant/secret' }).catch((e) => e as TkError);
    expect((kids as TkError).code).toBe('FORBIDDEN');
  });
});
