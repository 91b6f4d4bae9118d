/** The examples of docs/ui.md run here: the plain DOM page in happy-dom, against the real manager and loc scheme. */
import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import * as core from 'tk-core';
import * as ui from 'tk-core/ui';
import { describe, expect, it } from 'vitest';

const doc = readFileSync(new URL('../../docs/ui.md', import.meta.url), 'utf8');

function example(name: string): string {
  const m = new RegExp(`<!-- example: ${name} -->\\s*\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (m === null) throw new Error(`docs/ui.md has no example "${name}"`);
  return m[1]!;
}

/** Runs an example with its tk-core imports bound to the modules, and `document`/`Event` from happy-dom. */
async function run(code: string, window: Window): Promise<string[]> {
  const logs: string[] = [];
  const modules: Record<string, unknown> = { 'tk-core': core, 'tk-core/ui': ui };
  const body = code.replace(/^import \{([^}]*)\} from '([^']+)';$/gm, (_all, names: string, from: string) => {
    if (!(from in modules)) throw new Error(`the example imports ${from}`);
    return `const {${names}} = modules[${JSON.stringify(from)}];`;
  });
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  const fn = new AsyncFunction('modules', 'document', 'Event', 'console', body);
  await fn(modules, window.document, window.Event, {
    log: (...a: unknown[]) => logs.push(a.map(String).join(' ')),
  });
  return logs;
}

describe('docs/ui.md', () => {
  it('the plain DOM page prints what its comment says', async () => {
    const window = new Window();
    const code = example('dom');
    const logs = await run(code, window);
    const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
    expect(logs).toEqual(expected);
    const span = window.document.querySelector('span')!;
    expect(span.style.background).toMatch(/#00ff00|rgb\(0, 255, 0\)/);
    await window.happyDOM.close();
  });
});
