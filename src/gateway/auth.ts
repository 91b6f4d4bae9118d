/**
 * Authentication at the WebSocket upgrade: where the token comes from (a
 * `tk-token.<token>` subprotocol, or the `tk_token` cookie) and who it is
 * (a table of tokens with roles, or a JWT checked with `jose`).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TkError } from '../errors/tk-error.js';
import { TOKEN_COOKIE, TOKEN_SUBPROTOCOL_PREFIX } from '../protocol/constants.js';

/** Who a connection belongs to. */
export interface Identity {
  /** The user's name (for logs and the audit). */
  readonly user: string;
  /** The user's roles (what the access rules refer to). */
  readonly roles: readonly string[];
  /** When the credential stops being valid (ms since the epoch): the gateway closes the connection then, with 4401. */
  readonly expiresAt?: number | undefined;
}

/** One token of a {@link TokenTable}. Give the token itself, or (better) its SHA-256 in hex. */
export interface TokenEntry {
  /** Who presents this token. */
  readonly user: string;
  /** The user's roles. */
  readonly roles: readonly string[];
  /** The token, as the client sends it. */
  readonly token?: string;
  /** The SHA-256 of the token, 64 hex digits (`printf %s "$TOKEN" | sha256sum`): the file then holds no secret. */
  readonly sha256?: string;
  /** When the token stops being accepted (an ISO 8601 date). */
  readonly expires?: string;
}

/** Tokens with their users and roles (a tokens file: `{ "tokens": [...] }`). */
export interface TokenTable {
  /** The tokens. */
  readonly tokens: readonly TokenEntry[];
}

/** JWTs checked with `jose` (a tokens file: `{ "jwt": {...} }`). */
export interface JwtAuth {
  /** How JWTs are checked. */
  readonly jwt: {
    /** A shared secret (HS256, HS384, HS512). */
    readonly secret?: string;
    /** A public key in PEM (SPKI), with `algorithms[0]` its algorithm (RS256, ES256, EdDSA...). */
    readonly publicKey?: string;
    /** A JSON Web Key Set (`{ keys: [...] }`): the key is chosen by the token's `kid`. */
    readonly jwks?: {
      /** The keys (JWKs). */
      readonly keys: readonly Record<string, unknown>[];
    };
    /** Algorithms accepted (default: HS256 with a secret; required with a public key). */
    readonly algorithms?: readonly string[];
    /** The `iss` a token must have. */
    readonly issuer?: string;
    /** The `aud` a token must have. */
    readonly audience?: string;
    /** The claim that lists the roles: an array, or a space-separated string (default `roles`). */
    readonly rolesClaim?: string;
    /** The claim that names the user (default `sub`). */
    readonly userClaim?: string;
    /** Tolerated clock difference, in seconds (default 5). */
    readonly clockToleranceS?: number;
  };
}

/** A function deciding who a token belongs to (null: refused with 401). */
export type AuthenticateFn = (
  token: string | undefined,
  request: IncomingMessage,
) => Identity | null | Promise<Identity | null>;

/** How a gateway authenticates: `'none'` (anonymous), a {@link TokenTable}, a {@link JwtAuth} or a function. */
export type AuthOption = 'none' | TokenTable | JwtAuth | AuthenticateFn;

/** A ready authenticator. */
export interface Authenticator {
  /** Who `token` belongs to, or null. Never throws: a failure is null (and logged by the caller). */
  authenticate(token: string | undefined, request: IncomingMessage): Promise<Identity | null>;
  /** True for anonymous access. */
  readonly anonymous: boolean;
  /** For the start-up log: `tokens (3)`, `jwt (HS256)`, `none`. */
  readonly description: string;
}

/** The identity of every connection when `auth` is `'none'`. */
export const ANONYMOUS: Identity = Object.freeze({ user: 'anonymous', roles: Object.freeze(['anonymous']) });

/**
 * The token a request carries: the `tk-token.<token>` subprotocol it offers,
 * else its `tk_token` cookie. Never the query string (it ends up in logs).
 */
export function tokenOf(request: IncomingMessage): string | undefined {
  const protocols = request.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    for (const p of protocols.split(',')) {
      const t = p.trim();
      if (t.startsWith(TOKEN_SUBPROTOCOL_PREFIX) && t.length > TOKEN_SUBPROTOCOL_PREFIX.length)
        return t.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
    }
  }
  const cookie = request.headers.cookie;
  if (typeof cookie === 'string') {
    for (const part of cookie.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === TOKEN_COOKIE) {
        const v = part.slice(eq + 1).trim();
        try {
          return v === '' ? undefined : decodeURIComponent(v);
        } catch {
          return v;
        }
      }
    }
  }
  return undefined;
}

/** An {@link Authenticator} for `option`; throws a CONFIG error naming what is wrong with it. */
export function createAuthenticator(option: AuthOption): Authenticator {
  if (option === 'none')
    return { anonymous: true, description: 'none (anonymous)', authenticate: async () => ANONYMOUS };
  if (typeof option === 'function') {
    return {
      anonymous: false,
      description: 'custom function',
      authenticate: async (token, request) => {
        const id = await option(token, request);
        if (id === null) return null;
        const checked = checkIdentity(id, 'the auth function');
        return id.expiresAt === undefined ? checked : { ...checked, expiresAt: id.expiresAt };
      },
    };
  }
  if (typeof option === 'object' && option !== null && 'tokens' in option) return tokenAuthenticator(option);
  if (typeof option === 'object' && option !== null && 'jwt' in option) return jwtAuthenticator(option);
  throw new TkError('CONFIG', 'auth must be "none", { tokens: [...] }, { jwt: {...} } or a function');
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function tokenAuthenticator(table: TokenTable): Authenticator {
  if (!Array.isArray(table.tokens))
    throw new TkError('CONFIG', 'tokens must be an array of { user, roles, token | sha256 }');
  const byHash = new Map<string, Identity>();
  table.tokens.forEach((e, i) => {
    const at = `tokens[${i}]`;
    const id = checkIdentity(e, at);
    let hash: string;
    if (typeof e.sha256 === 'string') {
      if (!/^[0-9a-fA-F]{64}$/.test(e.sha256))
        throw new TkError('CONFIG', `${at}.sha256 must be 64 hex digits`);
      hash = e.sha256.toLowerCase();
    } else if (typeof e.token === 'string' && e.token.length >= 16) {
      hash = sha256(e.token);
    } else {
      throw new TkError('CONFIG', `${at} needs a token of at least 16 characters, or its sha256`);
    }
    let expiresAt: number | undefined;
    if (e.expires !== undefined) {
      expiresAt = Date.parse(e.expires);
      if (Number.isNaN(expiresAt))
        throw new TkError(
          'CONFIG',
          `${at}.expires must be an ISO 8601 date, not ${JSON.stringify(e.expires)}`,
        );
    }
    if (byHash.has(hash)) throw new TkError('CONFIG', `${at}: the same token is listed twice`);
    byHash.set(hash, expiresAt === undefined ? id : { ...id, expiresAt });
  });
  return {
    anonymous: false,
    description: `tokens (${byHash.size})`,
    authenticate: async (token) => {
      if (token === undefined) return null;
      // the table is keyed by digest: looking one up reveals nothing about the tokens
      const id = byHash.get(sha256(token));
      if (id === undefined) return null;
      if (id.expiresAt !== undefined && id.expiresAt <= Date.now()) return null;
      return id;
    },
  };
}

type Jose = typeof import('jose');
let josePromise: Promise<Jose> | undefined;
/**
 * jose is loaded on first use, so that start-up does not pay for it when no
 * JWT is configured. jose 6 is ESM-only: the CommonJS build turns this
 * `import()` into a `require()`, which Node before 20.19 refuses
 * (ERR_REQUIRE_ESM); then a native `import()` is made instead.
 */
function loadJose(): Promise<Jose> {
  josePromise ??= import('jose').catch((err: unknown) => {
    if ((err as { code?: unknown }).code !== 'ERR_REQUIRE_ESM') throw err;
    const nativeImport = new Function('specifier', 'return import(specifier)') as (
      s: string,
    ) => Promise<Jose>;
    return nativeImport('jose');
  });
  return josePromise;
}

function jwtAuthenticator(option: JwtAuth): Authenticator {
  const c = option.jwt;
  if (typeof c !== 'object' || c === null) throw new TkError('CONFIG', 'jwt must be an object');
  const sources = [c.secret, c.publicKey, c.jwks].filter((x) => x !== undefined).length;
  if (sources !== 1) throw new TkError('CONFIG', 'jwt needs exactly one of secret, publicKey, jwks');
  if (c.secret !== undefined && (typeof c.secret !== 'string' || c.secret.length < 32))
    throw new TkError('CONFIG', 'jwt.secret must be a string of at least 32 characters');
  if (c.publicKey !== undefined && (c.algorithms === undefined || c.algorithms.length === 0))
    throw new TkError('CONFIG', 'jwt.publicKey needs jwt.algorithms (e.g. ["RS256"])');
  const algorithms = [...(c.algorithms ?? (c.secret !== undefined ? ['HS256'] : []))];
  const rolesClaim = c.rolesClaim ?? 'roles';
  const userClaim = c.userClaim ?? 'sub';
  type Key = Parameters<Jose['jwtVerify']>[1];
  let key: Promise<Key> | undefined;
  const getKey = (): Promise<Key> => {
    key ??= loadJose().then(async (jose): Promise<Key> => {
      if (c.secret !== undefined) return new TextEncoder().encode(c.secret);
      if (c.publicKey !== undefined) return (await jose.importSPKI(c.publicKey, algorithms[0]!)) as Key;
      return jose.createLocalJWKSet(c.jwks as Parameters<Jose['createLocalJWKSet']>[0]) as unknown as Key;
    });
    return key;
  };
  return {
    anonymous: false,
    description: `jwt (${algorithms.join(', ') || 'from the key set'})`,
    authenticate: async (token) => {
      if (token === undefined) return null;
      const jose = await loadJose();
      const { payload } = await jose.jwtVerify(token, await getKey(), {
        ...(algorithms.length > 0 ? { algorithms } : {}),
        ...(c.issuer !== undefined ? { issuer: c.issuer } : {}),
        ...(c.audience !== undefined ? { audience: c.audience } : {}),
        clockTolerance: c.clockToleranceS ?? 5,
      });
      const user = payload[userClaim];
      if (typeof user !== 'string' || user === '') return null;
      const raw = payload[rolesClaim];
      const roles = Array.isArray(raw)
        ? raw.filter((r): r is string => typeof r === 'string')
        : typeof raw === 'string'
          ? raw.split(' ').filter((r) => r !== '')
          : [];
      return { user, roles, ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp * 1000 } : {}) };
    },
  };
}

function checkIdentity(e: unknown, at: string): Identity {
  const o = e as Record<string, unknown>;
  if (typeof o !== 'object' || o === null)
    throw new TkError('CONFIG', `${at} must be an object { user, roles }`);
  if (typeof o.user !== 'string' || o.user === '')
    throw new TkError('CONFIG', `${at}.user must be a non-empty string`);
  if (!Array.isArray(o.roles) || !o.roles.every((r) => typeof r === 'string' && r !== ''))
    throw new TkError('CONFIG', `${at}.roles must be an array of role names`);
  return { user: o.user, roles: Object.freeze([...(o.roles as string[])]) };
}
