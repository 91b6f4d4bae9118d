/**
 * The errors of the link to a gateway: how a close code reads to a person,
 * and the TkErrors a client reports. Browser-safe.
 *
 * @module
 */
import { BackendUnavailableError, TkError } from '../errors/tk-error.js';
import { CloseCode } from '../protocol/constants.js';
import type { WebSocketLike } from './socket.js';

/** Stops every handler of a socket the client no longer listens to. */
export function detach(ws: WebSocketLike): void {
  ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
}

/** `err` as a TkError (anything else becomes `BACKEND_UNAVAILABLE` with `context`). */
export function asError(err: unknown, context: string): TkError {
  if (err instanceof TkError) return err;
  return new BackendUnavailableError(`${context}: ${err instanceof Error ? err.message : String(err)}`, {
    cause: err,
  });
}

const CLOSE_REASONS: Record<number, string> = {
  [CloseCode.Normal]: 'normal close',
  [CloseCode.GoingAway]: 'the gateway is shutting down',
  [CloseCode.ProtocolError]: 'protocol error',
  1006: 'the connection failed or dropped (gateway unreachable, upgrade refused, or network lost)',
  [CloseCode.PolicyViolation]: 'policy violation',
  [CloseCode.MessageTooBig]: 'a message was too big',
  [CloseCode.InternalError]: 'the gateway failed',
  [CloseCode.SlowConsumer]: 'the client did not read fast enough',
  [CloseCode.TokenExpired]: 'the token expired',
  [CloseCode.Flood]: 'too many requests',
};

/** A close code and reason as a person reads them. */
export function closeReason(code: number, reason: string, lastError: string | undefined): string {
  const known = CLOSE_REASONS[code] ?? 'closed';
  const parts = [`${known} (code ${code}${reason ? `, ${reason}` : ''})`];
  if (lastError !== undefined && lastError !== '') parts.push(lastError);
  return parts.join(': ');
}

/** The error of a request or subscription made after (or cut short by) `close()`. */
export function disposed(message: string): TkError {
  return new TkError('DISPOSED', message);
}
