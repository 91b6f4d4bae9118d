/**
 * Scheme plugins whose attributes live behind a gateway. Each has the real
 * scheme's name and name validators (so `cii.oldb:/root/example/double/sine`
 * names the same attribute in a page as in a Node script, validated at
 * once, with no round trip), and a backend that forwards to the gateway: a
 * subscription per live attribute, reads, writes and listings as requests.
 * The model core above it is the ordinary one, so a remote attribute is an
 * ordinary `AttributeModel`: same readings, events, fragments, connection
 * state, and every tk-core/ui controller works on it unchanged.
 *
 * While the link is down each live attribute is `disconnected` with an
 * INVALID reading saying why; nothing known before the outage is shown as
 * current. Browser-safe: no Node built-ins, no mathjs.
 *
 * @module
 */

import { ConnectionState } from '../core/enums.js';
import type { Reading, ReadingInit } from '../core/reading.js';
import type {
  AttributeSink,
  AttributeSource,
  AttributeTarget,
  NameResolver,
  SchemeBackend,
  SchemePlugin,
} from '../schemes/contract.js';
import { createEvalValidators, EVAL_ALIASES, EVAL_SCHEME } from '../schemes/eval/names/index.js';
import { createLocValidators } from '../schemes/loc/names/validators.js';
import { createOldbValidators } from '../schemes/oldb/names/validators.js';
import type { SchemeValidators } from '../validators/name-validator.js';
import type { GatewayClient, SubscriptionHandler } from './client.js';

/** The validators of a scheme served by a gateway, for schemes other than the built-in ones. */
export interface RemoteSchemeSpec {
  /** The scheme name. */
  readonly scheme: string;
  /** Other names of the scheme. */
  readonly aliases?: readonly string[] | undefined;
  /** Its name validators (or a function building them with the manager as resolver). */
  readonly validators: SchemeValidators | ((resolver: NameResolver) => SchemeValidators);
}

/** The schemes a client routes to the gateway by default. */
export const DEFAULT_REMOTE_SCHEMES = ['eval', 'cii.oldb', 'loc'] as const;

/** The spec of a built-in scheme by name, or undefined. */
export function builtinRemoteSpec(scheme: string): RemoteSchemeSpec | undefined {
  switch (scheme) {
    case EVAL_SCHEME:
      return { scheme, aliases: EVAL_ALIASES, validators: (r) => createEvalValidators(r) };
    case 'cii.oldb':
      return { scheme, validators: createOldbValidators() };
    case 'loc':
      return { scheme, validators: createLocValidators() };
    default:
      return undefined;
  }
}

/** A scheme plugin whose attributes are served by the gateway behind `client`. */
export function createRemoteScheme(spec: RemoteSchemeSpec, client: GatewayClient): SchemePlugin {
  return {
    scheme: spec.scheme,
    ...(spec.aliases === undefined ? {} : { aliases: spec.aliases }),
    validators: spec.validators,
    createBackend: (): SchemeBackend => ({
      openAttribute: (target, sink) => new RemoteSource(client, target, sink),
      listChildren: async (fullName, options) =>
        (await client.request('children', { name: fullName }, `Listing ${fullName}`, options)).children,
      describe: () => ({
        gateway: client.url,
        status: client.state.status,
        session: client.state.welcome?.session,
        subscriptions: client.subscriptionCount,
      }),
      dispose: () => client.close(),
    }),
  };
}

/** The backend side of one remote attribute. */
class RemoteSource implements AttributeSource {
  readonly mode = 'push' as const;
  readonly #client: GatewayClient;
  readonly #name: string;
  readonly #sink: AttributeSink;
  #unsubscribe: (() => void) | undefined;

  constructor(client: GatewayClient, target: AttributeTarget, sink: AttributeSink) {
    this.#client = client;
    this.#name = target.fullName;
    this.#sink = sink;
  }

  start(): void {
    if (this.#unsubscribe !== undefined) return;
    const sink = this.#sink;
    const handler: SubscriptionHandler = {
      meta: (m) => sink.config(m.config),
      conn: (state) => sink.connection(state),
      value: (r) => sink.reading(initOf(r)),
      refused: (error) => sink.error(error),
      connecting: () => sink.connection(ConnectionState.Connecting),
      lost: (error) => sink.connection(ConnectionState.Disconnected, error),
    };
    this.#unsubscribe = this.#client.subscribe(this.#name, handler);
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  async read(options: { signal?: AbortSignal | undefined }): Promise<ReadingInit> {
    const r = await this.#client.request('read', { name: this.#name }, `Reading ${this.#name}`, options);
    this.#sink.config(r.config);
    return initOf(r.reading);
  }

  async write(
    value: unknown,
    options: { signal?: AbortSignal | undefined },
  ): Promise<ReadingInit | undefined> {
    const r = await this.#client.request(
      'write',
      { name: this.#name, value },
      `Writing ${this.#name}`,
      options,
    );
    return r.reading === null ? undefined : initOf(r.reading);
  }

  close(): void {
    this.stop();
  }

  describe(): Record<string, unknown> {
    return { gateway: this.#client.url, subscribed: this.#unsubscribe !== undefined };
  }
}

/**
 * A reading from the wire as what a source pushes (the core rebuilds it in
 * the attribute's units). A reading with an error is INVALID whatever
 * quality it claims (the decoder already says so).
 */
function initOf(r: Reading): ReadingInit {
  return r;
}
