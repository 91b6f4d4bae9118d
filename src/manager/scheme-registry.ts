/**
 * The schemes of one manager: their plugins, the validators built for this
 * manager, and their backends, created on first use.
 *
 * @module
 */

import type { NameResolver } from '../core/name-resolver.js';
import { quoteInput } from '../errors/quote.js';
import { InvalidNameError, TkError, UnknownSchemeError } from '../errors/tk-error.js';
import { getLogger, type Logger } from '../log/logger.js';
import type { SchemeRuntime } from '../model/host.js';
import type { SchemeBackend, SchemeContext, SchemePlugin } from '../schemes/contract.js';
import { explicitScheme, type NameValidator } from '../validators/name-validator.js';

/** One registered scheme. */
export interface SchemeEntry {
  /** The plugin. */
  readonly plugin: SchemePlugin;
  /** What the models see of it. */
  readonly runtime: SchemeRuntime;
  /** The backend, once created. */
  backend: SchemeBackend | undefined;
}

/** The scheme registry of a manager. */
export class SchemeRegistry {
  readonly #entries = new Map<string, SchemeEntry>();
  readonly #makeContext: (entry: SchemeEntry) => SchemeContext;
  readonly #pollingPeriod: number;
  readonly #log: Logger;

  /**
   * @param makeContext builds the services a backend gets (called once per scheme, on first use)
   * @param pollingPeriod the manager's default polling period
   */
  constructor(makeContext: (entry: SchemeEntry) => SchemeContext, pollingPeriod: number, log: Logger) {
    this.#makeContext = makeContext;
    this.#pollingPeriod = pollingPeriod;
    this.#log = log;
  }

  /** Registers a plugin under its scheme and aliases; a name already taken is an error. */
  register(plugin: SchemePlugin, resolver: NameResolver): SchemeEntry {
    const names = [plugin.scheme, ...(plugin.aliases ?? [])];
    for (const n of names) {
      const taken = this.#entries.get(n);
      if (taken !== undefined) {
        throw new TkError(
          'SCHEME_CONFLICT',
          `Cannot register a plugin for scheme "${n}": scheme "${taken.plugin.scheme}" already uses that name in this manager; create a separate manager with createManager() for another plugin`,
          { details: { scheme: n } },
        );
      }
    }
    const validators =
      typeof plugin.validators === 'function' ? plugin.validators(resolver) : plugin.validators;
    const entry: SchemeEntry = {
      plugin,
      backend: undefined,
      runtime: {
        scheme: plugin.scheme,
        validators,
        log: getLogger(`scheme.${plugin.scheme}`),
        pollingPeriod: plugin.defaultPollingPeriod ?? this.#pollingPeriod,
        backend: () => this.backendOf(entry),
      },
    };
    for (const n of names) this.#entries.set(n, entry);
    this.#log.debug(
      `registered scheme ${plugin.scheme}${plugin.aliases?.length ? ` (aliases ${plugin.aliases.join(', ')})` : ''}`,
    );
    return entry;
  }

  /** The entry of a scheme or alias, if registered. */
  get(scheme: string): SchemeEntry | undefined {
    return this.#entries.get(scheme);
  }

  /** The entry of a scheme or alias; throws an UnknownSchemeError naming the registered ones. */
  require(scheme: string): SchemeEntry {
    const entry = this.#entries.get(scheme);
    if (entry === undefined) throw new UnknownSchemeError(`${scheme}:`, scheme, this.schemes);
    return entry;
  }

  /** Whether a scheme or alias is registered. */
  has(scheme: string): boolean {
    return this.#entries.has(scheme);
  }

  /** Registered scheme names (without aliases). */
  get schemes(): string[] {
    return [...new Set([...this.#entries.values()].map((e) => e.plugin.scheme))];
  }

  /**
   * The entry for `name` and the name with its scheme written: the scheme
   * written in it, else `defaultScheme`; undefined when neither is registered.
   */
  find(name: string, defaultScheme: string | undefined): { entry: SchemeEntry; name: string } | undefined {
    const written = explicitScheme(name);
    if (written !== undefined) {
      const entry = this.#entries.get(written);
      return entry === undefined ? undefined : { entry, name };
    }
    if (defaultScheme === undefined) return undefined;
    const entry = this.#entries.get(defaultScheme);
    return entry === undefined ? undefined : { entry, name: `${defaultScheme}:${name}` };
  }

  /** The backend of an entry, created on first use. */
  backendOf(entry: SchemeEntry): SchemeBackend {
    if (entry.backend === undefined) {
      entry.backend = entry.plugin.createBackend(this.#makeContext(entry));
      this.#log.debug(`created backend of scheme ${entry.plugin.scheme}`);
    }
    return entry.backend;
  }

  /** The backends created so far, once each. */
  backends(): SchemeBackend[] {
    const out = new Set<SchemeBackend>();
    for (const e of this.#entries.values()) if (e.backend !== undefined) out.add(e.backend);
    return [...out];
  }

  /**
   * The scheme of `name` as {@link find} says, following alias schemes (res)
   * to the URI their name stands for; a bounded chain, so a cycle stays invalid.
   */
  resolve(
    name: string,
    defaultScheme: string | undefined,
    schemeOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined,
  ): { entry: SchemeEntry; name: string } | undefined {
    let found = this.find(name, defaultScheme);
    for (let hops = 0; hops < 8 && found?.entry.plugin.resolveAlias !== undefined; hops++) {
      const plugin = found.entry.plugin;
      const target = plugin.resolveAlias!(found.name, schemeOptions?.[plugin.scheme] ?? {});
      if (target === undefined) break;
      const next = this.find(target, defaultScheme);
      if (next === undefined) break;
      found = next;
    }
    return found;
  }

  /** Why `name` is invalid: an unknown scheme, no scheme at all, or what its scheme's validator says. */
  invalidNameError(
    name: string,
    defaultScheme: string | undefined,
    schemeOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined,
    validatorOf: (entry: SchemeEntry) => NameValidator,
  ): Error {
    const written = explicitScheme(name);
    if (written !== undefined && !this.has(written))
      return new UnknownSchemeError(name, written, this.schemes);
    const found = this.resolve(name, defaultScheme, schemeOptions);
    if (found === undefined) {
      return new InvalidNameError(
        name,
        `Invalid name ${quoteInput(name)}: it has no scheme and no default scheme is set; write it as <scheme>:..., with one of ${this.schemes.join(', ')}`,
        { part: 'scheme' },
      );
    }
    return validatorOf(found.entry).invalidNameError(found.name);
  }
}
