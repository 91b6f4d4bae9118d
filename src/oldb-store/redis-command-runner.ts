/**
 * Running one command of the Redis store within its time limit. The offline
 * queue is off, so nothing waits inside ioredis. While the server is known
 * to be away (a connection attempt failed, the connection closed, the server
 * stopped answering, or it refused the configuration) a command fails at
 * once with an error naming the server and saying nothing was sent; it is
 * never sent later. While the first connection is still being made, a
 * command waits for it, at most its time limit. A sent command's time limit
 * is kept by the shared {@link Deadlines}; a command ioredis refused to send
 * because its socket was closing is not sent either.
 *
 * @module
 */
import { BackendUnavailableError, TkError, throwIfAborted } from '../errors/tk-error.js';
import type { Logger } from '../log/logger.js';
import type { Clock } from '../util/clock.js';
import type { Deadlines } from './deadlines.js';
import {
  type CommandClient,
  commandError,
  NotSent,
  noReply,
  notSent,
  type Operation,
} from './redis-client.js';
import type { OldbCallOptions } from './types.js';

/** The part of the store's connection a {@link CommandRunner} uses. */
export interface CommandConnection {
  /** The server, without credentials. */
  readonly description: string;
  /** Default time limit of each call in ms. */
  readonly timeout: number;
  /** Settles once the connections exist. */
  readonly started: Promise<void>;
  /** The command connection, once started. */
  readonly client: CommandClient | undefined;
  /** Whether commands can be sent now (the command connection is ready and the server answers). */
  readonly commandUsable: boolean;
  /** Why commands cannot be sent, when the server is known to be away (not while a first connection is made). */
  readonly commandDown: TkError | undefined;
  /** Throws the error of operation `op` on a closed store, when closed. */
  assertOpen(op: string): void;
  /** Notes that ioredis refused a command because its socket is closing. */
  commandSocketClosing(): void;
  /** The error saying the server is not reachable, and why. */
  unavailable(): BackendUnavailableError;
  /** Calls `listener` on each change of {@link commandUsable} or {@link commandDown} and when the store closes; returns the function that stops it. */
  onCommandChange(listener: () => void): () => void;
}

/** Runs commands on the command connection, each within its time limit. */
export class CommandRunner {
  readonly #connection: CommandConnection;
  readonly #clock: Clock;
  readonly #deadlines: Deadlines;
  readonly #log: Logger;

  /** Runs on `connection`; `clock` measures and waits, `deadlines` keeps sent commands' time limits. */
  constructor(connection: CommandConnection, clock: Clock, deadlines: Deadlines, log: Logger) {
    this.#connection = connection;
    this.#clock = clock;
    this.#deadlines = deadlines;
    this.#log = log;
  }

  /** The error of operation `op`, not sent because the first connection took longer than its `total` ms. */
  #notSentWithin(op: Operation, total: number): BackendUnavailableError {
    return new BackendUnavailableError(
      `Cannot ${op.text} within ${total} ms: ${this.#connection.unavailable().message}; nothing was sent`,
      { details: { server: this.#connection.description, timeout: total } },
    );
  }

  /** The error of operation `op`, aborted by `signal` before anything was sent. */
  #abortedBeforeSent(op: Operation, signal: AbortSignal | undefined): TkError {
    return new TkError('ABORTED', `OLDB ${op.text} was aborted before it was sent`, {
      cause: signal?.reason,
    });
  }

  /**
   * The command connection once commands can be sent. Fails at once when the
   * server is known to be away; otherwise (a first connection being made)
   * waits for it, at most until `start + timeout`.
   */
  async #whenUsable(
    op: Operation,
    start: number,
    timeout: number,
    signal: AbortSignal | undefined,
  ): Promise<CommandClient> {
    const connection = this.#connection;
    await connection.started;
    for (;;) {
      connection.assertOpen(op.text);
      // aborted while the connections were being created: an abort listener added now would never fire
      if (signal?.aborted) throw this.#abortedBeforeSent(op, signal);
      if (connection.commandUsable) return connection.client!;
      const down = connection.commandDown;
      if (down !== undefined) throw notSent(op, down);
      const left = timeout - (this.#clock.now() - start);
      if (left <= 0) throw this.#notSentWithin(op, timeout);
      await new Promise<void>((resolve, reject) => {
        const done = () => {
          timer.cancel();
          stopWaiting();
          signal?.removeEventListener('abort', onAbort);
        };
        const onChange = () => {
          done();
          resolve();
        };
        const onAbort = () => {
          done();
          reject(this.#abortedBeforeSent(op, signal));
        };
        const timer = this.#clock.setTimeout(() => {
          done();
          reject(this.#notSentWithin(op, timeout));
        }, left);
        const stopWaiting = connection.onCommandChange(onChange);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  }

  /** Runs one operation against the command connection, bounded by its timeout. */
  async run<T>(
    op: Operation,
    options: OldbCallOptions | undefined,
    fn: (cmd: CommandClient) => Promise<T>,
    start = this.#clock.now(),
  ): Promise<T> {
    const connection = this.#connection;
    connection.assertOpen(op.text);
    throwIfAborted(options?.signal, `OLDB ${op.text}`);
    const timeout = options?.timeout ?? connection.timeout;
    for (;;) {
      // the usual case, connected: no extra wait
      const cmd = connection.commandUsable
        ? connection.client!
        : await this.#whenUsable(op, start, timeout, options?.signal);
      try {
        return await this.#send(op, cmd, timeout, start, options?.signal, fn);
      } catch (err) {
        // ioredis refused to send (the socket is closing): nothing was sent; the connection is going down
        if (!(err instanceof NotSent)) throw err;
        connection.commandSocketClosing();
      }
    }
  }

  /** Sends one operation; its time limit is kept by the shared {@link Deadlines}, not a timer of its own. */
  #send<T>(
    op: Operation,
    cmd: CommandClient,
    timeout: number,
    start: number,
    signal: AbortSignal | undefined,
    fn: (cmd: CommandClient) => Promise<T>,
  ): Promise<T> {
    const left = Math.max(1, timeout - (this.#clock.now() - start));
    if (this.#log.isEnabled('trace')) this.#log.trace(op.text, { server: this.#connection.description });
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        deadline.cancel();
        reject(
          new TkError(
            'ABORTED',
            `OLDB ${op.text} was aborted after it was sent${op.changes ? '; it may or may not have taken effect' : ''}`,
            { cause: signal?.reason },
          ),
        );
      };
      const deadline = this.#deadlines.add(left, () => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        reject(noReply(this.#connection.description, op, timeout));
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        if (settled) return false;
        settled = true;
        deadline.cancel();
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      fn(cmd).then(
        (v) => {
          if (settle()) resolve(v);
        },
        (err: unknown) => {
          if (!settle()) return;
          reject(commandError(this.#connection.description, op, err));
        },
      );
    });
  }
}
