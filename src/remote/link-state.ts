/**
 * What a client knows of its link to a gateway: the {@link GatewayState},
 * a new object on each change. Browser-safe.
 *
 * @module
 */
import type { TkError } from '../errors/tk-error.js';
import type { WelcomeMessage } from '../protocol/server-messages.js';

/** Where the link to the gateway stands. */
export type GatewayStatus = 'connecting' | 'connected' | 'disconnected' | 'closed';

/** The state of the link to the gateway (a new object on each change). */
export interface GatewayState {
  /** `connecting` (first attempt or a retry under way), `connected` (welcomed), `disconnected` (waiting to retry), `closed` (by `close()`). */
  readonly status: GatewayStatus;
  /** The gateway's URL. */
  readonly url: string;
  /** Failed attempts since the last welcome. */
  readonly attempt: number;
  /** Why the link is not up (the last failure), when it is not. */
  readonly error?: TkError | undefined;
  /** When the next attempt starts (ms since the epoch, on the client's clock), while `disconnected`. */
  readonly retryAt?: number | undefined;
  /** The gateway's welcome, while `connected`. */
  readonly welcome?: WelcomeMessage | undefined;
  /** When this state began (client's clock). */
  readonly since: number;
}
