/**
 * A frame of lines redrawn in place on a terminal (cursor moved back up with
 * node:readline, the old frame cleared), clipped to the terminal's size.
 *
 * @module
 */
import { clearScreenDown, cursorTo, moveCursor } from 'node:readline';
import type { TextOut } from '../runtime.js';

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
const NO_WRAP = '\x1b[?7l';
const WRAP = '\x1b[?7h';

/** Redraws a block of lines in place on a TTY. */
export class LiveScreen {
  readonly #out: TextOut;
  #height = 0;
  #started = false;
  #ended = false;

  constructor(out: TextOut) {
    this.#out = out;
  }

  /** Replaces the previous frame with `lines` (long lines are clipped by the terminal, not wrapped). */
  render(lines: readonly string[]): void {
    if (this.#ended) return;
    const out = this.#out as unknown as NodeJS.WritableStream;
    if (!this.#started) {
      this.#started = true;
      this.#out.write(HIDE_CURSOR + NO_WRAP);
    }
    const rows = this.#out.rows ?? 24;
    const shown =
      lines.length > rows - 1
        ? [...lines.slice(0, rows - 2), `... ${lines.length - rows + 2} more lines`]
        : lines;
    if (this.#height > 0) moveCursor(out, 0, -this.#height);
    cursorTo(out, 0);
    clearScreenDown(out);
    this.#out.write(shown.length > 0 ? `${shown.join('\n')}\n` : '');
    this.#height = shown.length;
  }

  /**
   * Forgets the previous frame after the terminal was resized (its lines may
   * have moved): clears the screen, the next {@link render} draws from the top.
   */
  reset(): void {
    if (this.#ended || !this.#started) return;
    this.#out.write('\x1b[2J\x1b[H');
    this.#height = 0;
  }

  /** Leaves the last frame on screen and restores the cursor and line wrapping. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#started) this.#out.write(WRAP + SHOW_CURSOR);
  }
}
