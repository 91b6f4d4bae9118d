/**
 * The examples of docs/concepts.md that live in docs/examples run here: the
 * code block in the document is the file, word for word (npm run typecheck
 * checks the file with tsc --strict), and what each console.log prints is
 * what its comment says.
 */
import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';

const doc = readFileSync(new URL('../../docs/concepts.md', import.meta.url), 'utf8');

function block(name: string): string {
  const m = new RegExp(`<!-- example: ${name} -->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (m === null) throw new Error(`docs/concepts.md has no example "${name}"`);
  return m[1]!;
}

/** What the comments after console.log calls promise, in order; times are any time. */
function promised(code: string): string[] {
  return [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]!);
}

const anyTime = (s: string) => s.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('docs/concepts.md', () => {
  it('typed values and printing: the document shows the file, and it prints what its comments say', async () => {
    const file = readFileSync(new URL('../../docs/examples/typed-values.ts', import.meta.url), 'utf8');
    expect(block('typed-values')).toBe(file);
    const logs: string[] = [];
    // console.log formats its arguments with util.format (util.inspect for objects), as here
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      logs.push(format(...args));
    });
    await import('../../docs/examples/typed-values.js');
    expect(logs.map(anyTime)).toEqual(promised(file).map(anyTime));
  });
});
