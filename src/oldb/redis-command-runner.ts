/**
 * Running one command of the Redis store within its time limit. The offline
 * queue is off, so nothing waits inside ioredis: while the server is away a
 * command waits here for the command connection, at most its time limit,
 * then fails with a clear error and is never sent later. A sent command's
 * time limit is kept by the shared {@link Deadlines}; a command ioredis
 * refused to send because its socket was closing waits for the server again.
 *
 * @module
 */
import { BackendUnavailableError, TkError, throwIfAborted } from '../errors/tk-error.js';
import type { Logger } from '../log/logger.js';
import type { Clock } from '../util/clock.js';
import type { Deadlines } from './deadlines.js';
import { type CommandClient, commandError, NotSent, noReply } from './redis-client.js';
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
  /** Whether the command connection is ready. */
  readonly commandReady: boolean;
  /** Throws the error of operation `op` on a closed store, when closed. */
  assertOpen(op: string): void;
  /** Notes that ioredis refused a command because its socket is closing. */
  commandSocketClosing(): void;
  /** The error saying the server is not reachable, and why. */
  unavailable(): BackendUnavailableError;
  /** Calls `listener` when the command connection is ready or the store closes; returns the function that stops it. */
  onCommandReady(listener: () => void): () => void;
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

  /** The error of operation `op`, not sent because the server stayed away for its `total` ms. */
  #notSentWithin(op: string, total: number): BackendUnavailableError {
    return new BackendUnavailableError(
      `Cannot ${op} within ${total} ms: ${this.#connection.unavailable().message}; nothing was sent`,
      { details: { server: this.#connection.description, timeout: total } },
    );
  }

  /** The error of operation `op`, aborted by `signal` before anything was sent. */
  #abortedBeforeSent(op: string, signal: AbortSignal | undefined): TkError {
    return new TkError('ABORTED', `OLDB ${op} was aborted before it was sent`, { cause: signal?.reason });
  }

  /** Waits until the command connection is ready, at most `timeout` ms. */
  async #whenReady(
    op: string,
    timeout: number,
    signal: AbortSignal | undefined,
    total = timeout,
  ): Promise<CommandClient> {
    await this.#connection.started;
    this.#connection.assertOpen(op);
    // aborted while the connections were being created: an abort listener added now would never fire
    if (signal?.aborted) throw this.#abortedBeforeSent(op, signal);
    const cmd = this.#connection.client!;
    if (this.#connection.commandReady) return cmd;
    if (timeout <= 0) throw this.#notSentWithin(op, total);
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        timer.cancel();
        stopWaiting();
        signal?.removeEventListener('abort', onAbort);
      };
      const onReady = () => {
        done();
        resolve();
      };
      const onAbort = () => {
        done();
        reject(this.#abortedBeforeSent(op, signal));
      };
      const timer = this.#clock.setTimeout(() => {
        done();
        reject(this.#notSentWithin(op, total));
      }, timeout);
      const stopWaiting = this.#connection.onCommandReady(onReady);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    this.#connection.assertOpen(op);
    return cmd;
  }

  /** Runs one operation against the command connection, bounded by its timeout. */
  async run<T>(
    op: string,
    options: OldbCallOptions | undefined,
    fn: (cmd: CommandClient) => Promise<T>,
    start = this.#clock.now(),
  ): Promise<T> {
    this.#connection.assertOpen(op);
    throwIfAborted(options?.signal, `OLDB ${op}`);
    const timeout = options?.timeout ?? this.#connection.timeout;
    for (;;) {
      // checked on each attempt: a signal aborted while waiting for a retry would not fire its listener
      if (options?.signal?.aborted) throw this.#abortedBeforeSent(op, options.signal);
      // the usual case, connected: no extra wait
      const cmd =
        this.#connection.commandReady && this.#connection.client !== undefined
          ? this.#connection.client
          : await this.#whenReady(op, timeout - (this.#clock.now() - start), options?.signal, timeout);
      try {
        return await this.#send(op, cmd, timeout, start, options?.signal, fn);
      } catch (err) {
        // ioredis refused to send (the socket is closing): nothing was sent, so wait for the server and retry
        if (!(err instanceof NotSent)) throw err;
        this.#connection.commandSocketClosing();
        if (this.#clock.now() - start >= timeout) {
          throw this.#notSentWithin(op, timeout);
        }
      }
    }
  }

  /** Sends one operation; its time limit is kept by the shared {@link Deadlines}, not a timer of its own. */
  #send<T>(
    op: string,
    cmd: CommandClient,
    timeout: number,
    start: number,
    signal: AbortSignal | undefined,
    fn: (cmd: CommandClient) => Promise<T>,
  ): Promise<T> {
    const left = Math.max(1, timeout - (this.#clock.now() - start));
    if (this.#log.isEnabled('trace')) this.#log.trace(op, { server: this.#connection.description });
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        deadline.cancel();
        reject(
          new TkError(
            'ABORTED',
            `OLDB ${op} was aborted after it was sent; it may or may not have taken effect`,
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
