/**
 * The client's source stays split by concept (the repository's rule: a
 * file per concept, files under about 400 lines): the link, its
 * subscriptions, its pending requests, its heartbeat, its state and
 * options each in a file named for what it holds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../src/remote/', import.meta.url);

describe('src/remote', () => {
  it('has no file over 400 lines', () => {
    const long = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => ({ f, lines: readFileSync(new URL(f, dir), 'utf8').split('\n').length }))
      .filter((x) => x.lines > 400);
    expect(long).toEqual([]);
  });

  it('keeps the subscriptions, pending requests and heartbeat out of client.ts', () => {
    const files = readdirSync(dir);
    for (const f of ['subscription-table.ts', 'pending-requests.ts', 'heartbeat.ts', 'link-state.ts'])
      expect(files).toContain(f);
  });
});
