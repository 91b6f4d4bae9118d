/**
 * `connectGateway`: a manager whose attributes for the gateway's schemes are
 * served by a gateway, so a page or a program uses the same URIs, readings,
 * streams, writes and fragments as a local one, and tk-core/ui controllers
 * take it as their `manager`. Browser-safe.
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';
import { Manager, type ManagerOptions } from '../manager/manager.js';
import { filter, firstValueFrom } from '../util/rx-subject.js';
import { checkBackoffOptions } from './backoff.js';
import { GatewayClient, type GatewayClientOptions, type GatewayState } from './client.js';
import {
  builtinRemoteSpec,
  createRemoteScheme,
  DEFAULT_REMOTE_SCHEMES,
  type RemoteSchemeSpec,
} from './remote-scheme.js';

/** Options of {@link connectGateway} and {@link createRemoteManager}. */
export interface ConnectGatewayOptions extends GatewayClientOptions {
  /**
   * A manager to add the remote schemes to (it must not have schemes of the
   * same names: create it with `createManager({ builtins: false })`, or keep
   * a local `eval` by routing only `schemes: ['cii.oldb']`). Default: a new
   * {@link RemoteManager}.
   */
  readonly manager?: Manager | undefined;
  /** Options of the new manager (`gcTime`, `clock`, `strict`...), when `manager` is not given. */
  readonly managerOptions?: Omit<ManagerOptions, 'schemes'> | undefined;
  /**
   * The schemes the gateway serves to this client: built-in names (`eval`,
   * `cii.oldb`, `loc`; default all three) or specs with validators of other
   * schemes.
   */
  readonly schemes?: readonly (string | RemoteSchemeSpec)[] | undefined;
}

/** A manager whose attributes are served by a gateway; `dispose()` closes the link. */
export class RemoteManager extends Manager {
  /** The link to the gateway: its state (`gateway.state$`), requests, `close()`. */
  readonly gateway: GatewayClient;

  /** @internal use {@link createRemoteManager} or {@link connectGateway}. */
  constructor(gateway: GatewayClient, options: ManagerOptions) {
    super(options);
    this.gateway = gateway;
  }
}

const links = new WeakMap<Manager, GatewayClient>();

/** The link to the gateway of a manager made or extended by {@link connectGateway}, if any. */
export function gatewayOf(manager: Manager): GatewayClient | undefined {
  return links.get(manager);
}

/**
 * A manager served by the gateway at `url` (`ws://` or `wss://`), returned
 * at once: the link connects in the background, reconnects with backoff and
 * jitter after every loss, and resubscribes every live attribute. While it is
 * down, attributes are `disconnected` with INVALID readings naming the
 * cause, and reads and writes fail at once with `BACKEND_UNAVAILABLE`
 * (nothing sent). A page uses this so it can show "disconnected" from the
 * start when the gateway is away.
 */
export function createRemoteManager(
  url: string,
  options?: ConnectGatewayOptions & { manager?: undefined },
): RemoteManager;
export function createRemoteManager<M extends Manager>(
  url: string,
  options: ConnectGatewayOptions & { manager: M },
): M;
export function createRemoteManager(url: string, options: ConnectGatewayOptions = {}): Manager {
  checkOptions(url, options);
  const specs = (options.schemes ?? DEFAULT_REMOTE_SCHEMES).map((s) => {
    if (typeof s !== 'string') return s;
    const spec = builtinRemoteSpec(s);
    if (spec === undefined)
      throw new TkError(
        'CONFIG',
        `connectGateway: no validators are known for the scheme ${JSON.stringify(s)}: give { scheme, validators } for it, or one of ${DEFAULT_REMOTE_SCHEMES.join(', ')}`,
        { details: { option: 'schemes', scheme: s } },
      );
    return spec;
  });
  const client = new GatewayClient(url, options);
  const plugins = specs.map((spec) => createRemoteScheme(spec, client));
  let manager: Manager;
  try {
    if (options.manager !== undefined) {
      manager = options.manager;
      for (const p of plugins) manager.registerScheme(p);
    } else {
      manager = new RemoteManager(client, { ...options.managerOptions, schemes: plugins });
    }
  } catch (err) {
    client.close();
    throw err;
  }
  links.set(manager, client);
  return manager;
}

/**
 * Connects to the gateway at `url` and resolves with its manager once the
 * gateway has welcomed the client; rejects with `BACKEND_UNAVAILABLE` naming
 * the URL and the cause when the first attempt fails (nothing is left
 * running then). After that, the link behaves as {@link createRemoteManager}'s.
 *
 * @example
 * ```ts
 * import { connectGateway } from 'tk-core/remote';
 * const m = await connectGateway('ws://127.0.0.1:8765/', { token });
 * m.attribute('cii.oldb:/root/example/double/sine').value$.subscribe((r) => console.log(String(r.rvalue)));
 * ```
 */
export function connectGateway(
  url: string,
  options?: ConnectGatewayOptions & { manager?: undefined },
): Promise<RemoteManager>;
export function connectGateway<M extends Manager>(
  url: string,
  options: ConnectGatewayOptions & { manager: M },
): Promise<M>;
export async function connectGateway(url: string, options: ConnectGatewayOptions = {}): Promise<Manager> {
  const manager = createRemoteManager(url, options as ConnectGatewayOptions & { manager?: undefined });
  const client = links.get(manager)!;
  const s: GatewayState = await firstValueFrom(client.state$.pipe(filter((x) => x.status !== 'connecting')), {
    defaultValue: client.state,
  });
  if (s.status === 'connected') return manager;
  client.close();
  if (options.manager === undefined) await manager.dispose();
  throw (
    s.error ??
    new TkError('BACKEND_UNAVAILABLE', `Cannot connect to the gateway ${url}`, { details: { url } })
  );
}

function checkOptions(url: unknown, o: ConnectGatewayOptions): void {
  if (typeof url !== 'string' || !/^wss?:\/\/[^\s]+$/i.test(url))
    throw new TkError(
      'CONFIG',
      `connectGateway: the URL must be a ws:// or wss:// URL such as "ws://127.0.0.1:8765/", not ${JSON.stringify(String(url)).slice(0, 200)}`,
      { details: { option: 'url' } },
    );
  const known = [
    'token',
    'WebSocket',
    'reconnect',
    'requestTimeout',
    'writeTimeout',
    'connectTimeout',
    'heartbeat',
    'clock',
    'manager',
    'managerOptions',
    'schemes',
  ];
  for (const k of Object.keys(o))
    if (!known.includes(k))
      throw new TkError(
        'CONFIG',
        `connectGateway: unknown option ${JSON.stringify(k)}: the options are ${known.join(', ')}`,
        {
          details: { option: k },
        },
      );
  for (const k of ['requestTimeout', 'writeTimeout', 'connectTimeout'] as const) {
    const v = o[k];
    if (v !== undefined && !(typeof v === 'number' && v > 0 && Number.isFinite(v)))
      throw new TkError('CONFIG', `connectGateway: ${k} must be a positive number of ms, not ${String(v)}`, {
        details: { option: k },
      });
  }
  const t = o.token;
  if (
    t !== undefined &&
    typeof t !== 'function' &&
    !(typeof t === 'string' && /^[!#$%&'*+.^_`|~0-9A-Za-z-]*$/.test(t))
  )
    throw new TkError(
      'CONFIG',
      'connectGateway: token must be a string of HTTP token characters (a JWT is), or a function returning one',
      { details: { option: 'token' } },
    );
  checkBackoffOptions(o.reconnect);
}
