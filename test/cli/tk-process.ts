/**
 * Running the built `tk` command as a user does: `node dist/cli/tk.js ...`
 * as a child process (pipes, so not a terminal), or inside tmux (a real
 * pseudo-terminal whose screen is read back).
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built command. */
export const TK = join(ROOT, 'dist/cli/tk.js');

function sourcesNewerThanBuild(dir: string): number {
  const out = execFileSync('find', [dir, '-name', '*.ts', '-newer', TK], { encoding: 'utf8' });
  return out.trim() === '' ? 0 : 1;
}

/**
 * Builds the package with `npx tsup` unless dist/cli/tk.js is newer than
 * every source file. A lock directory keeps parallel test files from
 * building at the same time.
 */
export function ensureBuilt(): Promise<void> {
  return build(false);
}

/** {@link ensureBuilt}, and the demo page (dist/demo, which tsup's clean removes) under the same lock. */
export function ensureDemoBuilt(): Promise<void> {
  return build(true);
}

/** Time limit of one build step (tsup, or the demo page) in ms. */
const BUILD_LIMIT_MS = 360_000;

// (vitest passes a context to a hook's function: ensureBuilt takes no parameter, so beforeAll(ensureBuilt) works)
async function build(demo: boolean): Promise<void> {
  // in the checkout itself: node_modules may be a link shared by several worktrees, each with its own dist/
  const lock = join(ROOT, '.tk-cli-build.lock');
  // a build takes 2-3 min on a loaded 2-core machine (load 15+): the limits leave room for one
  // build waiting on another
  const deadline = Date.now() + BUILD_LIMIT_MS * 2;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline)
        throw new Error(
          `could not take ${lock} within ${(BUILD_LIMIT_MS * 2) / 1000} s (remove it if stale)`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    let stale = true;
    try {
      statSync(TK);
      stale = sourcesNewerThanBuild(join(ROOT, 'src')) > 0;
    } catch {
      stale = true;
    }
    if (stale) execFileSync('npx', ['tsup'], { cwd: ROOT, stdio: 'ignore', timeout: BUILD_LIMIT_MS });
    // the demo page (dist/demo, which tsup's clean removes): built under the same lock
    if (demo && (stale || !existsSync(join(ROOT, 'dist/demo/index.html'))))
      execFileSync(process.execPath, ['scripts/build-demo.mjs'], {
        cwd: ROOT,
        stdio: 'ignore',
        timeout: BUILD_LIMIT_MS,
      });
  } finally {
    rmdirSync(lock);
  }
}

/** What a finished `tk` process gave. */
export interface TkResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs `tk args...` to completion (killed after `timeoutMs`). */
export function tk(
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<TkResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [TK, ...args],
      {
        cwd: ROOT,
        timeout: options.timeoutMs ?? 45_000,
        env: {
          ...process.env,
          NO_COLOR: '1',
          TK_LOG_LEVEL: '',
          TK_OLDB_URL: '',
          TK_OLDB: '',
          ...options.env,
        },
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        const code =
          err === null
            ? 0
            : typeof (err as { code?: unknown }).code === 'number'
              ? (err as { code: number }).code
              : null;
        resolve({ code, stdout, stderr, ms: Date.now() - t0 });
      },
    );
  });
}

/** Starts `tk args...` and resolves once its stdout matches `pattern` (with what it printed so far). */
export function tkUntil(
  args: readonly string[],
  pattern: RegExp,
  timeoutMs = 30_000,
): Promise<{
  stdout: string;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; stdout: string }>;
}> {
  const child = spawn(process.execPath, [TK, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `tk ${args.join(' ')}: no output matching ${pattern} within ${timeoutMs} ms; got:\n${stdout}`,
        ),
      );
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (pattern.test(stdout)) {
        clearTimeout(timer);
        resolve({
          stdout,
          stop: async (signal = 'SIGINT') => {
            child.kill(signal);
            const code = await exited;
            return { code, stdout };
          },
        });
      }
    });
  });
}

/** A tmux session on a private server socket, running one shell command in a pseudo-terminal. */
export class TmuxSession {
  readonly #socket: string;
  readonly name = 'tk';

  private constructor(socket: string) {
    this.#socket = socket;
  }

  #tmux(args: string[]): string {
    return execFileSync('/usr/bin/tmux', ['-L', this.#socket, '-f', '/dev/null', ...args], {
      encoding: 'utf8',
    });
  }

  /**
   * Starts `command` (a shell command line) in a `width`x`height` terminal.
   * The shell prints `EXIT=<code>` when the command ends and stays open.
   */
  static start(
    command: string,
    options: { width?: number; height?: number; env?: Record<string, string> } = {},
  ): TmuxSession {
    const s = new TmuxSession(`tk-test-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const env = Object.entries({ TK_LOG_LEVEL: '', TK_OLDB: '', TK_OLDB_URL: '', ...options.env })
      .map(([k, v]) => `${k}='${v}'`)
      .join(' ');
    s.#tmux([
      'new-session',
      '-d',
      '-s',
      s.name,
      '-x',
      String(options.width ?? 120),
      '-y',
      String(options.height ?? 30),
      `cd '${ROOT}' && env ${env} ${command}; echo EXIT=$?; sleep 60`,
    ]);
    return s;
  }

  /** The visible screen; with `escapes`, including colour escape sequences. */
  screen(escapes = false): string {
    return this.#tmux(['capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', this.name]);
  }

  /** Resizes the terminal. */
  resize(width: number, height: number): void {
    this.#tmux(['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
  }

  /** Sends keys (`C-c` for Ctrl-C). */
  keys(...keys: string[]): void {
    this.#tmux(['send-keys', '-t', this.name, ...keys]);
  }

  /** Polls the screen until `predicate` holds; rejects with the last screen after `timeoutMs`. */
  async waitFor(
    predicate: (screen: string) => boolean,
    timeoutMs = 30_000,
    escapes = false,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = this.screen(escapes);
      if (predicate(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`screen did not match within ${timeoutMs} ms; last screen:\n${last}`);
  }

  /** Ends the tmux server. */
  kill(): void {
    try {
      this.#tmux(['kill-server']);
    } catch {
      // already gone
    }
  }
}
