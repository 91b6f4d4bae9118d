/**
 * package.json as a user meets it (issue 11 item 14): every runtime
 * dependency is used by the code (asciichart was installed for nothing), and
 * `npm pack` and `npm run demo` build quietly with the same script
 * (scripts/smoke-packed.sh, run by .ci/run, packs a tree without dist/ and
 * counts what that build prints).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('package.json', () => {
  it('every runtime dependency is imported by src/', () => {
    const text = sources(join(root, 'src'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = Object.keys(pkg.dependencies).filter(
      (d) => !new RegExp(`from '${d}(?:/[^']*)?'|import\\('${d}(?:/[^']*)?'\\)`).test(text),
    );
    expect(unused).toEqual([]);
  });

  it('npm pack builds dist/ first (prepack), quietly, with the build npm run demo runs', () => {
    const quiet = 'npm run build:quiet --silent';
    expect(pkg.scripts.prepack).toBe(quiet);
    expect(pkg.scripts.demo?.startsWith(`${quiet} && `)).toBe(true);
    expect(pkg.scripts['build:quiet']).toMatch(/^tsup --silent && /);
    for (const step of pkg.scripts['build:quiet']!.split(' && ').slice(1)) expect(step).toMatch(/ --quiet$/);
  });
});
