/**
 * Grouping the keys of a bulk read by the nodes that serve their slots
 * (`groupByNodes`): each group can be one cluster pipeline. Properties on
 * slot maps shaped as ioredis keeps them (one nodes array per range of
 * slots; ranges of the same nodes; slots of no known node).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupByNodes, type SlotMap } from '../../src/oldb-store/redis-hash-reads.js';
import { keySlot } from '../../src/oldb-store/redis-slot.js';

const NODES = [['a:1', 'a:2'], ['b:1', 'b:2'], ['c:1'], []];

/** A slot map of `cuts` ranges, each served by `NODES[owner]` (a fresh array per range) or by no known node. */
function slotMap(ranges: readonly { size: number; owner: number | undefined }[]): SlotMap {
  const slots: (string[] | undefined)[] = new Array(16384);
  let slot = 0;
  for (const r of ranges) {
    const nodes = r.owner === undefined ? undefined : [...NODES[r.owner]!];
    for (let i = 0; i < r.size && slot < 16384; i++) slots[slot++] = nodes;
  }
  return { slots };
}

const nodesOf = (map: SlotMap, key: string) => map.slots[keySlot(key)];

describe('groupByNodes', () => {
  it('puts every key in exactly one group; a group holds keys of the same nodes; groups come in the order of their first key', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            size: fc.integer({ min: 1, max: 6000 }),
            owner: fc.option(fc.nat(3), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 60 }),
        (ranges, keys) => {
          const map = slotMap(ranges);
          const groups = groupByNodes(map, keys);
          expect(groups.flat().sort((x, y) => x - y)).toEqual(keys.map((_, i) => i));
          const names = groups.map((g) => {
            const first = nodesOf(map, keys[g[0]!]!);
            for (const i of g) expect(nodesOf(map, keys[i]!)?.join(';')).toBe(first?.join(';'));
            for (let j = 1; j < g.length; j++) expect(g[j]!).toBeGreaterThan(g[j - 1]!);
            // a key of no known node is alone
            if (first === undefined || first.length === 0) expect(g.length).toBe(1);
            return first === undefined || first.length === 0 ? undefined : first.join(';');
          });
          const known = names.filter((n) => n !== undefined);
          expect(new Set(known).size).toBe(known.length); // one group per set of nodes
          for (let k = 1; k < groups.length; k++) expect(groups[k]![0]!).toBeGreaterThan(groups[k - 1]![0]!);
        },
      ),
    );
  });

  it('keys of two ranges served by the same nodes are one group', () => {
    const map = slotMap([
      { size: 8192, owner: 0 },
      { size: 8192, owner: 0 },
    ]);
    const keys = ['{a}x', '{b}y', '{c}z', '{d}w'];
    expect(new Set(keys.map((k) => keySlot(k) < 8192)).size).toBe(2);
    expect(groupByNodes(map, keys)).toEqual([[0, 1, 2, 3]]);
  });
});
