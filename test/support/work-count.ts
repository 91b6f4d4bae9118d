/**
 * Test support: how much work a call does, counted, never timed (tests do
 * not read the clock). Two measures, both the same on every run:
 *
 * - {@link WorkCounter.count}: the number of blocks of tk-core's own code
 *   that V8 executed during a call (its precise block coverage, read through
 *   the inspector; a loop body run n times counts n). Compared between an
 *   input and one twice as long, it tells linear (about 2x) from quadratic
 *   (about 4x) work in tk-core's code.
 * - {@link regexRuns} and {@link backtrackingRegexes}: the regular
 *   expressions a call runs (every `exec`, and so `test`, `match`, `replace`
 *   and `split` with one), and those of them whose backtracking a static
 *   ReDoS check (redos-detector) does not prove bounded. A regex's own
 *   backtracking is native work that no block count sees.
 *
 * The block counts use the inspector's precise coverage: do not use the
 * counter in a run with `--coverage` (it resets and stops the counts the
 * coverage report is made of).
 */
import { Session } from 'node:inspector/promises';
import { isSafe } from 'redos-detector';

/** The source files whose blocks count: tk-core's own (`src/`). */
const TK_CORE_SOURCE = /\/src\/[^?#]*\.ts$/;

interface CoverageRange {
  readonly count: number;
}
interface ScriptCoverage {
  readonly url: string;
  readonly functions: readonly { readonly ranges: readonly CoverageRange[] }[];
}

/** Counts the blocks of tk-core's code that calls execute (see the module doc). */
export interface WorkCounter {
  /** Blocks of the files matching `files` (default: tk-core's `src/`) executed while `fn` runs. */
  count(fn: () => unknown, files?: RegExp): Promise<number>;
  /** Stops counting (leaves V8's code as it was). */
  stop(): Promise<void>;
}

/** Starts counting executed blocks in this process (one counter at a time). */
export async function startWorkCounter(): Promise<WorkCounter> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  const take = async () =>
    ((await session.post('Profiler.takePreciseCoverage')) as { result: ScriptCoverage[] }).result;
  return {
    async count(fn, files = TK_CORE_SOURCE) {
      await take(); // the counts start from zero
      fn();
      let blocks = 0;
      for (const script of await take()) {
        if (!files.test(script.url)) continue;
        for (const f of script.functions) for (const r of f.ranges) blocks += r.count;
      }
      return blocks;
    },
    async stop() {
      await session.post('Profiler.stopPreciseCoverage');
      await session.post('Profiler.disable');
      session.disconnect();
    },
  };
}

/** One regular expression run on a text. */
export interface RegexRun {
  readonly regex: RegExp;
  /** The length of the text it ran on. */
  readonly length: number;
}

/** The regular expressions `fn` runs, in order, with the lengths of the texts (every `exec`, however reached). */
export function regexRuns(fn: () => unknown): RegexRun[] {
  const runs: RegexRun[] = [];
  const exec = RegExp.prototype.exec;
  // RegExp's test, match, replace, split and matchAll all call `exec` when it is not the built-in one
  RegExp.prototype.exec = function (this: RegExp, text: string) {
    runs.push({ regex: this, length: String(text).length });
    return exec.call(this, text);
  };
  try {
    fn();
  } finally {
    RegExp.prototype.exec = exec;
  }
  return runs;
}

/**
 * The regexes among `runs` whose backtracking redos-detector does not prove
 * bounded (its static check, deterministic: no time limit). Its check is
 * conservative: a regex it passes backtracks a bounded number of times per
 * character, so its matching is linear; one it fails may still be linear in
 * fact (e.g. `^.a*.$`), and so may one it cannot read (counted as failed).
 * A sticky regex (`y`) is checked as anchored (`^`), which is how it runs;
 * group names are dropped (its parser does not read them).
 */
export function backtrackingRegexes(runs: readonly RegexRun[]): RegExp[] {
  const seen = new Set<string>();
  const unsafe: RegExp[] = [];
  for (const { regex } of runs) {
    const key = String(regex);
    if (seen.has(key)) continue;
    seen.add(key);
    const source = regex.source.replace(/\(\?<([A-Za-z_$][\w$]*)>/g, '(?:');
    const checked = new RegExp(regex.sticky ? `^(?:${source})` : source, regex.flags.replace('y', ''));
    let safe = false;
    try {
      safe = isSafe(checked).safe;
    } catch {
      // a syntax redos-detector does not read: not proven safe
    }
    if (!safe) unsafe.push(regex);
  }
  return unsafe;
}
