/**
 * The tokens file and the access file of `tk serve`, read and checked at
 * start-up: a mistake is an error naming the file and the entry, never a
 * gateway that starts with rules other than the ones written.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { TkError } from '../errors/tk-error.js';
import { type AccessPolicy, compileAccess } from './access.js';
import { type AuthOption, createAuthenticator, type JwtAuth, type TokenTable } from './auth.js';

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new TkError('CONFIG', `Cannot read the ${what} ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new TkError('CONFIG', `The ${what} ${path} is not JSON: ${(err as Error).message}`);
  }
}

function checked<T>(path: string, what: string, value: T, check: (v: T) => unknown): T {
  try {
    check(value);
  } catch (err) {
    throw new TkError('CONFIG', `In the ${what} ${path}: ${(err as Error).message}`);
  }
  return value;
}

/**
 * Reads a tokens file: `{ "tokens": [{ "user", "roles", "token" | "sha256", "expires"? }] }`
 * or `{ "jwt": { "secret" | "publicKey" | "jwks", ... } }`. Throws a CONFIG
 * error naming the file and the entry that is wrong.
 */
export function loadAuthFile(path: string): AuthOption {
  const v = readJson(path, 'tokens file') as TokenTable | JwtAuth;
  if (typeof v !== 'object' || v === null || (!('tokens' in v) && !('jwt' in v)))
    throw new TkError('CONFIG', `The tokens file ${path} must hold { "tokens": [...] } or { "jwt": {...} }`);
  return checked(path, 'tokens file', v, createAuthenticator);
}

/**
 * Reads an access file: `{ "rules": [{ "match", "roles", "read"?, "write"? }] }`.
 * Throws a CONFIG error naming the file and the rule that is wrong.
 */
export function loadAccessFile(path: string): AccessPolicy {
  const v = readJson(path, 'access file') as AccessPolicy;
  return checked(path, 'access file', v, compileAccess);
}
