/**
 * What `tk-core` resolves to in the tests: the entry (src/index.ts) with the
 * eval evaluator provided at start (src/eval/index.ts), as the entry did
 * before it loaded the evaluator on first use (issue 14 item 6). The tests'
 * timeouts were set with the evaluator in place; under vite's transform its
 * first load takes seconds. The built entry's own behaviour (no mathjs at
 * import, the evaluator loaded by the first eval attribute) is tested on
 * dist/ in fresh processes: test/eval/entry-import.test.ts.
 */
import '../../src/eval/index.js';

export * from '../../src/index.js';
