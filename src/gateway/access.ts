/**
 * Access rules: which roles may read and write which attributes, by patterns
 * over their full names. Rules are checked in order and the **first rule
 * that matches the name and one of the user's roles decides**; with none,
 * nothing is allowed. A rule allows reading unless it says `"read": false`,
 * and writing only when it says `"write": true`: writes are denied by default.
 *
 * @module
 */
import { TkError } from '../errors/tk-error.js';
import type { Manager } from '../manager/manager.js';
import { createEvalNameParser, type ParsedEvalName } from '../schemes/eval/names/parsed-name.js';

/** One rule. */
export interface AccessRule {
  /**
   * A pattern over full names: `*` matches any characters but `/`, `**` any
   * characters, `?` one character but `/`; everything else matches itself.
   * `cii.oldb:/root/example/**`, `loc:/ui/*`, `eval:**`.
   */
  readonly match: string;
  /** The roles this rule is for; `*` is every role (anonymous users included). */
  readonly roles: readonly string[];
  /** Whether those roles may read (subscribe, read, fragments, children); default true. */
  readonly read?: boolean;
  /** Whether those roles may write; default false. */
  readonly write?: boolean;
}

/** Access rules, in order (an access file: `{ "rules": [...] }`). */
export interface AccessPolicy {
  /** The rules; the first one matching the name and a role decides. */
  readonly rules: readonly AccessRule[];
}

/** What the access rules allow one user to do with one name. */
export interface AccessDecision {
  /** Reading (subscribe, read, fragment, children). */
  readonly read: boolean;
  /** Writing. */
  readonly write: boolean;
  /** The index of the rule that decided, or -1 when none matched. */
  readonly rule: number;
}

/**
 * The policy without an access file: read everything but eval expressions
 * and loc points, write nothing. loc points live as long as the gateway's
 * manager and are shared by every client: a client that may name them could
 * create them without end, so they are served only where a rule says so.
 */
export const DEFAULT_ACCESS: AccessPolicy = Object.freeze({
  rules: Object.freeze([
    Object.freeze({ match: 'eval:**', roles: Object.freeze(['*']), read: false }),
    Object.freeze({ match: 'loc:**', roles: Object.freeze(['*']), read: false }),
    Object.freeze({ match: '**', roles: Object.freeze(['*']), read: true, write: false }),
  ]),
});

const DENY: AccessDecision = Object.freeze({ read: false, write: false, rule: -1 });

interface CompiledRule {
  readonly re: RegExp;
  readonly anyRole: boolean;
  readonly roles: ReadonlySet<string>;
  readonly decision: AccessDecision;
}

/**
 * A glob of {@link AccessRule.match} as an anchored regular expression. A
 * `/**` segment matches zero or more segments, so `loc:/plant/**` covers
 * `loc:/plant` itself and everything below it.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '/' && glob.startsWith('**', i + 1) && (i + 3 === glob.length || glob[i + 3] === '/')) {
      re += '(?:/[\\s\\S]*)?';
      i += 2;
    } else if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '[\\s\\S]*';
        i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Checks and compiles an access policy; throws a CONFIG error naming the rule that is wrong. */
export function compileAccess(
  policy: AccessPolicy,
): (fullName: string, roles: readonly string[]) => AccessDecision {
  if (typeof policy !== 'object' || policy === null || !Array.isArray(policy.rules))
    throw new TkError(
      'CONFIG',
      'access must be { "rules": [ { "match", "roles", "read"?, "write"? }, ... ] }',
    );
  const rules: CompiledRule[] = policy.rules.map((r, i) => {
    const at = `rules[${i}]`;
    if (typeof r !== 'object' || r === null) throw new TkError('CONFIG', `${at} must be an object`);
    if (typeof r.match !== 'string' || r.match === '')
      throw new TkError('CONFIG', `${at}.match must be a pattern such as "cii.oldb:/root/example/**"`);
    if (
      !Array.isArray(r.roles) ||
      r.roles.length === 0 ||
      !(r.roles as unknown[]).every((x) => typeof x === 'string' && x !== '')
    )
      throw new TkError('CONFIG', `${at}.roles must be a non-empty array of role names ("*" for every role)`);
    for (const k of ['read', 'write'] as const)
      if (r[k] !== undefined && typeof r[k] !== 'boolean')
        throw new TkError('CONFIG', `${at}.${k} must be true or false`);
    const known = new Set(['match', 'roles', 'read', 'write', 'comment']);
    for (const k of Object.keys(r))
      if (!known.has(k))
        throw new TkError(
          'CONFIG',
          `${at} has the unknown key "${k}": valid keys are match, roles, read, write, comment`,
        );
    return {
      re: globToRegExp(r.match),
      anyRole: r.roles.includes('*'),
      roles: new Set(r.roles),
      decision: Object.freeze({ read: r.read !== false, write: r.write === true, rule: i }),
    };
  });
  return (fullName, roles) => {
    for (const r of rules) {
      if (!r.anyRole && !roles.some((x) => r.roles.has(x))) continue;
      if (r.re.test(fullName)) return r.decision;
    }
    return DENY;
  };
}

/** Why an access check failed: the name that is not allowed (the attribute, or one its expression reads). */
export interface AccessRefusal {
  /** The full name the rules did not allow. */
  readonly name: string;
  /** The rule that refused (-1: none matched). */
  readonly rule: number;
}

/**
 * The access rules of one gateway, applied to attributes: an eval attribute
 * is readable only when the rules allow its own name (an `eval:` rule) and
 * every attribute its expression reads, at any depth, so an expression is
 * never a way around a rule.
 */
export class AccessControl {
  readonly #decide: (fullName: string, roles: readonly string[]) => AccessDecision;
  readonly #parseEval: (name: string) => ParsedEvalName | null;

  constructor(policy: AccessPolicy, manager: Manager) {
    this.#decide = compileAccess(policy);
    this.#parseEval = createEvalNameParser(manager);
  }

  /** The rules' decision for a full name, without looking into expressions. */
  decide(fullName: string, roles: readonly string[]): AccessDecision {
    return this.#decide(fullName, roles);
  }

  /** Null when `roles` may read `fullName` of `scheme` (and everything it reads); else what is refused. */
  refuseRead(fullName: string, scheme: string, roles: readonly string[]): AccessRefusal | null {
    return this.#refuse(fullName, scheme, roles, 0);
  }

  /** Null when `roles` may write `fullName` (and read what its expression reads); else what is refused. */
  refuseWrite(fullName: string, scheme: string, roles: readonly string[]): AccessRefusal | null {
    const d = this.#decide(fullName, roles);
    if (!d.write) return { name: fullName, rule: d.rule };
    return scheme === 'eval' ? this.#refuseRefs(fullName, roles, 0) : null;
  }

  #refuse(fullName: string, scheme: string, roles: readonly string[], depth: number): AccessRefusal | null {
    const d = this.#decide(fullName, roles);
    if (!d.read) return { name: fullName, rule: d.rule };
    return scheme === 'eval' ? this.#refuseRefs(fullName, roles, depth) : null;
  }

  #refuseRefs(fullName: string, roles: readonly string[], depth: number): AccessRefusal | null {
    const parsed = this.#parseEval(fullName);
    if (parsed === null) return { name: fullName, rule: -1 };
    if (depth > 16) return { name: fullName, rule: -1 };
    for (const ref of parsed.refFullNames) {
      const scheme = ref.slice(0, ref.indexOf(':'));
      const r = this.#refuse(ref, scheme === 'evaluation' ? 'eval' : scheme, roles, depth + 1);
      if (r !== null) return r;
    }
    return null;
  }
}
