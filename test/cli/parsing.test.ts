/** The CLI's parsing of option values and exit codes, in process. */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseLimits, parseOldbValue } from '../../src/cli/commands/oldb-values.js';
import { validateName } from '../../src/cli/commands/validate.js';
import { ExitCode, exitCodeOf, UsageError } from '../../src/cli/exit-codes.js';
import { formatAge, formatMagnitudeOf, visibleWidth } from '../../src/cli/format.js';
import { parsePollingPeriod, parsePositive, parseSeconds } from '../../src/cli/live/until-stopped.js';
import {
  BackendUnavailableError,
  createManager,
  InvalidNameError,
  Quantity,
  TkError,
} from '../../src/index.js';

describe('exit codes', () => {
  it.each([
    [new UsageError('x'), ExitCode.Usage],
    [new InvalidNameError('x', 'bad'), ExitCode.Usage],
    [new TkError('UNIT_MISMATCH', 'x'), ExitCode.Usage],
    [new TkError('OUT_OF_RANGE', 'x'), ExitCode.Usage],
    [new TkError('NOT_WRITABLE', 'x'), ExitCode.Usage],
    [new TkError('EXPRESSION', 'x'), ExitCode.Usage],
    [new BackendUnavailableError('x'), ExitCode.Failure],
    [new TkError('TIMEOUT', 'x'), ExitCode.Failure],
    [new TkError('NOT_FOUND', 'x'), ExitCode.Failure],
    [new Error('anything else'), ExitCode.Failure],
  ])('%s -> %s', (err, code) => {
    expect(exitCodeOf(err)).toBe(code);
  });
});

const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x));

describe('parseLimits', () => {
  test.prop([finite, finite], { seed: 5150 })(
    'low,high round-trips when low <= high, else is refused',
    (a, b) => {
      const text = `${a},${b}`;
      if (a <= b) expect(parseLimits(text, '--range')).toEqual([a, b]);
      else
        expect(() => parseLimits(text, '--range')).toThrow(/--range .*the low limit is above the high one/);
    },
  );

  it.each([
    [',100', [null, 100]],
    ['0,', [0, null]],
    [',', [null, null]],
  ])('%s', (text, limits) => {
    expect(parseLimits(text, '--range')).toEqual(limits);
  });

  it.each(['1', '1,2,3', 'a,b', '1,x'])('%s is refused naming the option', (text) => {
    expect(() => parseLimits(text, '--alarms')).toThrow(new RegExp(`Invalid --alarms "${text}"`));
  });
});

describe('parseOldbValue', () => {
  it.each([
    ['double', { units: 'mm' }, '12.5', 12.5],
    ['double', { units: 'mm' }, '3 cm', 30],
    ['double', { units: 'V' }, '250 mV', 0.25],
    ['integer', {}, '7', 7],
    ['boolean', {}, 'TRUE', true],
    ['string', {}, '3 cm', '3 cm'],
    ['double[]', {}, '[1, 2.5]', [1, 2.5]],
  ] as const)('%s %j %s', (type, md, text, value) => {
    const v = parseOldbValue('/root/a', type, md, text);
    if (typeof value === 'number') expect(v).toBeCloseTo(value, 12);
    else expect(v).toEqual(value);
  });

  it.each([
    ['double', { units: 'mm' }, '3 kg', 'Invalid value "3 kg" for /root/a: kg cannot be converted to mm'],
    [
      'double',
      {},
      '3 cm',
      'Invalid value "3 cm" for /root/a: the datapoint has no units; give a plain number',
    ],
    [
      'double',
      { units: 'mm' },
      'abc',
      'Invalid value "abc" for /root/a: expected a number in mm or compatible units, such as "12 mm"',
    ],
    ['boolean', {}, 'yes', 'Invalid value "yes" for /root/a: it is boolean, write true or false'],
    [
      'integer[]',
      {},
      '[1,',
      'Invalid value "[1," for /root/a: it is integer[], write a JSON array such as \'[1, 2, 3]\'',
    ],
  ] as const)('refuses %s %j %s', (type, md, text, message) => {
    expect(() => parseOldbValue('/root/a', type, md, text)).toThrow(message);
  });
});

describe('option numbers', () => {
  it('accepts positive numbers and names the option otherwise', () => {
    expect(parsePositive('2.5', '--rate')).toBe(2.5);
    expect(parsePositive(undefined, '--rate')).toBeUndefined();
    expect(() => parsePositive('0', '--rate')).toThrow('Invalid --rate "0": expected a positive number');
    expect(() => parsePositive('1.5', '--count', true)).toThrow(
      'Invalid --count "1.5": expected a positive integer',
    );
    expect(parseSeconds('0.5', '--duration')).toBe(0.5);
    expect(() => parseSeconds('-1', '--duration')).toThrow('Invalid --duration "-1"');
  });

  it('takes a --polling-period in ms from 1 (issue 11 item 11)', () => {
    expect(parsePollingPeriod('250')).toBe(250);
    expect(parsePollingPeriod('1')).toBe(1);
    expect(parsePollingPeriod(undefined)).toBeUndefined();
    for (const bad of ['0', '0.5', '-100', 'fast', '', ' ', 'Infinity']) {
      expect(() => parsePollingPeriod(bad)).toThrow(
        `Invalid --polling-period ${JSON.stringify(bad)}: expected a number of milliseconds from 1, e.g. --polling-period 500 (default 3000)`,
      );
    }
  });
});

describe('display helpers', () => {
  it('formats values, ages and visible widths', () => {
    expect(formatMagnitudeOf(new Quantity(12.5, 'mm'))).toBe('12.5');
    expect(formatMagnitudeOf(new Quantity([1, 2, 3, 4, 5, 6, 7], ''))).toBe('[1, 2, 3, 4, 5, 6, ... (7)]');
    expect(formatMagnitudeOf('text')).toBe('"text"');
    expect(formatMagnitudeOf(null)).toBe('-');
    expect(formatMagnitudeOf(1 / 3)).toBe('0.333333');
    expect(formatAge(400)).toBe('0.4s');
    expect(formatAge(65_000)).toBe('65s');
    expect(formatAge(600_000)).toBe('10m');
    expect(visibleWidth('\x1b[1m\x1b[31mALARM\x1b[39m\x1b[22m')).toBe(5);
  });
});

describe('validateName', () => {
  const m = createManager({ builtins: true, gcTime: 0 });

  it.each([
    ['eval:1', true, ['Attribute'], undefined],
    ['1+1', true, ['Attribute'], undefined],
    ['loc:/a/b', true, ['Attribute', 'Device'], undefined],
    ['loc:/a/b?unitz=m', false, [], undefined],
    ['nope:x', false, [], /Unknown scheme "nope"/],
  ] as const)('%s', (name, valid, types, problem) => {
    const v = validateName(m, name);
    expect(v.valid).toBe(valid);
    for (const t of types) expect(v.types).toContain(t);
    if (problem !== undefined) expect(v.problem).toMatch(problem);
    if (!valid && problem === undefined)
      expect(Object.keys(v.errors)).toEqual(['Attribute', 'Device', 'Authority']);
  });
});
