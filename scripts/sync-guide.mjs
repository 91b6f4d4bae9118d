// Copies docs/examples/sim-scheme.ts and test/docs/sim-scheme.test.ts into the code
// blocks of docs/writing-a-scheme.md (test/docs/sim-scheme.test.ts checks they match).
import { readFileSync, writeFileSync } from 'node:fs';

const read = (p) => readFileSync(new URL(`../${p}`, import.meta.url), 'utf8');
const guidePath = new URL('../docs/writing-a-scheme.md', import.meta.url);
let guide = readFileSync(guidePath, 'utf8');
const code = read('docs/examples/sim-scheme.ts');
const fullTest = read('test/docs/sim-scheme.test.ts');
const test = `${fullTest.slice(0, fullTest.indexOf("describe('docs/writing-a-scheme.md'")).trimEnd()}\n`;
const replaceBlock = (heading, body) => {
  const h = guide.indexOf(heading);
  const start = guide.indexOf('```ts\n', h) + 6;
  const end = guide.indexOf('```\n', start);
  guide = guide.slice(0, start) + body + guide.slice(end);
};
replaceBlock('## 3. The whole scheme', code);
replaceBlock('## 4. Tests', test);
writeFileSync(guidePath, guide);
console.log('docs/writing-a-scheme.md updated');
