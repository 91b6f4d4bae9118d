import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatTable } from '../../src/diagnostics/table.js';

const cell = fc.string({ unit: fc.constantFrom('a', 'b', 'x', '1', '.', '-'), maxLength: 12 });

describe('formatTable', () => {
  test.prop(
    [
      fc.array(fc.constantFrom<'left' | 'right'>('left', 'right'), { minLength: 1, maxLength: 5 }),
      fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { maxLength: 8 }),
    ],
    { seed: 9001 },
  )('every cell starts at its column, right-aligned cells end at it', (aligns, rows) => {
    const columns = aligns.map((align, i) => ({ header: `h${i}`, align }));
    const body = rows.map((r) => r.slice(0, columns.length));
    const lines = formatTable(columns, body);
    expect(lines).toHaveLength(body.length + 1);
    const widths = columns.map((c, i) => Math.max(c.header.length, ...body.map((r) => r[i]!.length)));
    const starts = widths.map((_, i) => widths.slice(0, i).reduce((a, w) => a + w + 2, 0));
    body.forEach((r, k) => {
      const line = lines[k + 1]!.padEnd(starts.at(-1)! + widths.at(-1)!);
      columns.forEach((c, i) => {
        const slot = line.slice(starts[i], starts[i]! + widths[i]!);
        expect(c.align === 'right' ? slot.trimStart() : slot.trimEnd()).toBe(r[i]);
      });
    });
    for (const l of lines) expect(l).toBe(l.trimEnd());
  });

  it('measures cells with the given width function', () => {
    const red = (s: string) => `\x1b[31m${s}\x1b[39m`;
    const lines = formatTable([{ header: 'q' }, { header: 'v', align: 'right' }], [[red('ALARM'), '1']], {
      width: (c) => c.replace(/\x1b\[\d+m/g, '').length,
    });
    expect(lines).toEqual(['q      v', `${red('ALARM')}  1`]);
  });
});
