import { createManager, createResScheme, type Manager, parseResourceMap } from 'tk-core';
import { createDisplay } from 'tk-core/ui';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeWithTaurus } from '../support/taurus/describe-with-taurus.js';
import { untilSnapshot } from './support/until.js';

const MAP = {
  motor_x: 'loc:/res/motor/x?type=float&init=1.5&units=mm',
  twice: 'eval:{loc:/res/motor/x?type=float&init=1.5&units=mm}*2',
  one: 'eval:1',
  motor_dev: 'loc:/res/motor',
  _hidden: 'eval:2',
  loop_a: 'res:loop_b',
  loop_b: 'res:loop_a',
};

let m: Manager;
beforeEach(() => {
  m = createManager({ gcTime: 0, schemeOptions: { res: { map: MAP } } });
});
afterEach(async () => {
  await m.dispose();
});

describe('the res scheme (resource aliases)', () => {
  it('an alias gives the very object of the URI it names, as in Taurus', async () => {
    const a = m.attribute('res:motor_x');
    expect(a).toBe(m.attribute('loc:/res/motor/x?type=float&init=1.5&units=mm'));
    expect(a.fullName).toBe('loc://local/res/motor/x?type=float&init=1.5&units=mm');
    expect(m.isValidName('resource:motor_x')).toBe(false); // Taurus's validators refuse it too
    expect(m.getNames('res:one')).toMatchObject({
      fullName: 'eval://localhost/@DefaultEvaluator/1',
      simpleName: '1',
    });
    expect(m.getValidTypesForName('res:motor_dev')).toEqual(['Attribute', 'Device']); // as loc:/res/motor is
    expect(m.device('res:motor_dev').fullName).toBe('loc://local/res/motor');
    expect(String((await m.attribute('res:twice').read()).rvalue)).toBe('3 mm');
    await a.write(2);
    expect(String((await m.attribute('res:twice').read({ cache: false })).rvalue)).toBe('4 mm');
  });

  it('panels name aliases: a display of res:motor_x', async () => {
    const d = createDisplay('res:motor_x', { manager: m });
    expect((await untilSnapshot(d, (s) => s.quality !== undefined)).text).toBe('1.5 mm');
    d.dispose();
  });

  it('unknown names, bad names, cycles are invalid, with a message naming the alias', () => {
    expect(m.isValidName('res:nokey')).toBe(false);
    expect(() => m.attribute('res:nokey')).toThrow(
      /no resource map names "nokey".*defined: _hidden, loop_a, loop_b, motor_dev, motor_x, one, twice/,
    );
    expect(() => m.attribute('res:1abc')).toThrow(/expected res:<name> with a name of letters, digits and _/);
    for (const bad of [
      'res:motor_x#label',
      'res://h/motor_x',
      'res:motor_x?x=1',
      'res:a.b',
      'res:',
      'res:loop_a',
    ]) {
      expect([bad, m.isValidName(bad)]).toEqual([bad, false]);
    }
    expect(m.isValidName('res:motor_x', { types: ['Authority'] })).toBe(false);
  });

  it('maps from the plugin, with Taurus priorities; checked as untrusted input', async () => {
    const res = createResScheme({ map: { a: 'eval:1' } });
    res.loadResource({ a: 'eval:2', b: 'eval:3' }, 2);
    const m2 = createManager({ schemes: [res] });
    expect(m2.attribute('res:a').fullName).toBe('eval://localhost/@DefaultEvaluator/1');
    expect(m2.attribute('res:b').fullName).toBe('eval://localhost/@DefaultEvaluator/3');
    await m2.dispose();
    expect(() => parseResourceMap('{"1x": "eval:1"}')).toThrow(/Invalid resource name "1x"/);
    expect(() => parseResourceMap({ a: 5 })).toThrow(/must map to a model URI \(text\), got number/);
    expect(() => parseResourceMap('[')).toThrow(/not JSON/);
    expect(parseResourceMap('{"motor_x": "eval:1"}')).toEqual({ motor_x: 'eval:1' });
  });
});

describeWithTaurus('the res scheme against Taurus 5', (oracle) => {
  const TAURUS_MAP = { one: 'eval:1', twice: 'eval:{eval:1}*2', dev: 'eval:@Foo', _x: 'eval:3' };
  it('validity and names of res names match Taurus with the same map', async () => {
    const o = oracle();
    await o.ask({ op: 'loadResource', map: TAURUS_MAP });
    const local = createManager({ schemeOptions: { res: { map: TAURUS_MAP } } });
    const names = [
      'res:one',
      'res:twice',
      'res:dev',
      'res:_x',
      'res:nokey',
      'res:1abc',
      'res:one#label',
      'res://a/one',
      'res:one?x',
      'resource:one',
      'res:a.b',
      'res:',
    ];
    const answers = await o.batch<boolean>(
      names.map((name) => ({ op: 'isValidName' as const, name, strict: null })),
    );
    expect(names.map((n) => [n, local.isValidName(n)])).toEqual(
      names.map((n, i) => [n, answers[i]!.ok && answers[i]!.result]),
    );
    const types = await o.batch<string[]>(
      names.map((name) => ({ op: 'getValidTypesForName' as const, name, strict: null })),
    );
    expect(names.map((n) => [n, local.getValidTypesForName(n)])).toEqual(
      names.map((n, i) => [n, types[i]!.ok ? types[i]!.result : []]),
    );
    const attrs = ['res:one', 'res:twice'];
    const tn = await o.batch<string[]>(
      attrs.map((name) => ({ op: 'objectNames' as const, kind: 'Attribute' as const, name })),
    );
    expect(
      attrs.map((n) => {
        const a = local.attribute(n);
        return [a.fullName, a.normalName, a.simpleName];
      }),
    ).toEqual(tn.map((t) => t.ok && t.result));
    await local.dispose();
  });
});
