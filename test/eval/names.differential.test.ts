/**
 * Differential test: fast-check generates thousands of eval names (valid
 * ones, near misses, nested references, quoting, odd whitespace,
 * substitutions, evaluator devices, fragments, old syntax) with a fixed seed;
 * the real Taurus 5 (through the oracle) and tk-core must give the same
 * answers for isValid (strict and not), getUriGroups, getNames, isValidName
 * and getValidTypesForName. Where tk-core differs on purpose
 * (docs/eval-names.md, "Where tk-core differs from Taurus on purpose"), the
 * case is counted under its documented reason; anything else fails.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { NameResolver } from '../../src/schemes/contract.js';
import {
  createEvalOnlyResolver,
  createEvalValidators,
  type EvalAttributeNameValidator,
} from '../../src/schemes/eval/names/index.js';
import { findBraceGroups, removeQuotedText } from '../../src/schemes/eval/names/scan.js';
import type { ModelNames, NameValidator, UriGroups } from '../../src/validators/name-validator.js';
import { describeWithTaurus } from '../support/taurus/describe-with-taurus.js';
import type { OracleAnswer, OracleRequest, TaurusValidatorKind } from '../support/taurus/oracle.js';
import { allNames } from './eval-name-arbitraries.js';

const SEED = 20261122;
const NUM_NAMES = 6000;

// ------------------------------------------------------------------ documented Taurus quirks
/**
 * Taurus's check for a bare ';' removes every occurrence of each reference's
 * text, one reference after the other (`str.replace(ref, "")`), so removing a
 * short reference (`eval:1`) can change a later one that contains it, which
 * then is not removed and its inner ';' counts. Test-only emulation.
 */
function taurusSemicolonQuirk(expr: string): boolean {
  let s = removeQuotedText(expr);
  const refs = findBraceGroups(s);
  if (refs === null) return false;
  for (const r of refs) s = s.split(r.text).join('');
  return s.includes(';');
}

/** Whether `n` or any name nested in its braces hits {@link taurusSemicolonQuirk} where tk-core accepts it. */
function hitsSemicolonQuirk(v: EvalAttributeNameValidator, n: string, depth = 0): boolean {
  if (depth > 10) return false;
  const a = v.analyze(n);
  if (a !== null && taurusSemicolonQuirk(a.groups._expr ?? '')) return true;
  for (const g of findBraceGroups(n) ?? []) if (hitsSemicolonQuirk(v, g.text, depth + 1)) return true;
  return false;
}

const SEMICOLON_QUIRK =
  "Taurus's ';' check removes a reference's text everywhere (changing later references); tk-core removes the references only";

const FULL_NAME_GROWS =
  "an old-syntax attribute name whose full name Taurus's strict grammar does not read back (it grows at each round: eval://localhost/@foo); tk-core refuses it";

/** The texts of `n` and of every name nested in its braces. */
function withNested(n: string, depth = 0): string[] {
  if (depth > 10) return [n];
  return [n, ...(findBraceGroups(n) ?? []).flatMap((g) => withNested(g.text, depth + 1))];
}

/**
 * The names among `texts` that tk-core refuses as attributes while Taurus
 * accepts them in its old syntax with parts (evaluator, attribute name) that
 * Taurus's own strict grammar does not read back from the full name
 * `eval://localhost/<evaluator>/<attribute name>`: asked of Taurus in two
 * rounds (the groups, then the strict groups of the full name).
 */
async function taurusGrowing(
  ask: (requests: OracleRequest[]) => Promise<OracleAnswer[]>,
  attribute: NameValidator,
  texts: Iterable<string>,
): Promise<Set<string>> {
  const refused = [...new Set(texts)].filter((t) => !attribute.isValid(t));
  const groups = await ask(
    refused.map((name) => ({ op: 'getUriGroups', validator: 'attribute', name, strict: null })),
  );
  const old = new Map<string, { devname: string; attrname: string }>();
  groups.forEach((a, i) => {
    const g = a.ok ? (a.result as Record<string, unknown> | null) : null;
    if (g === null || g.__STRICT__ !== false) return;
    old.set(refused[i]!, {
      devname: (g.devname as string | null) ?? '@DefaultEvaluator',
      attrname: g.attrname as string,
    });
  });
  const names = [...old.keys()];
  const back = await ask(
    names.map((n) => {
      const { devname, attrname } = old.get(n)!;
      return {
        op: 'getUriGroups',
        validator: 'attribute',
        name: `eval://localhost/${devname}/${attrname}`,
        strict: true,
      };
    }),
  );
  const growing = new Set<string>();
  back.forEach((a, i) => {
    const g = a.ok ? (a.result as Record<string, unknown> | null) : null;
    const { devname, attrname } = old.get(names[i]!)!;
    if (g === null || (g.devname ?? '@DefaultEvaluator') !== devname || g.attrname !== attrname)
      growing.add(names[i]!);
  });
  return growing;
}

// ------------------------------------------------------------------ comparison
type Verdict = 'same' | string; // a documented reason, or 'same'
const KINDS: TaurusValidatorKind[] = ['attribute', 'device', 'authority'];

class Tally {
  readonly counts = new Map<string, number>();
  readonly mismatches: string[] = [];
  total = 0;
  add(v: Verdict): boolean {
    this.total++;
    this.counts.set(v, (this.counts.get(v) ?? 0) + 1);
    return true;
  }
  /** Set per name: the documented reason that explains any difference for it. */
  explained: string | undefined;
  fail(what: string, n: string, taurus: unknown, ours: unknown): boolean {
    if (this.explained !== undefined) return this.add(this.explained);
    this.total++;
    if (this.mismatches.length < 30) {
      this.mismatches.push(
        `${what} ${JSON.stringify(n)}: Taurus ${JSON.stringify(taurus)}, tk-core ${JSON.stringify(ours)}`,
      );
    }
    this.counts.set('MISMATCH', (this.counts.get('MISMATCH') ?? 0) + 1);
    return false;
  }
}

/** Documented difference: Taurus's getValidTypesForName asks the attribute validator first and lets its exception through. */
const TAURUS_ABORTS_TYPES =
  "Taurus's isValidName/getValidTypesForName raise when the attribute validator raises (improperly nested braces), even for a valid device name; tk-core answers for each type";

/** Documented difference 1: Taurus raises (TypeError on unbalanced braces, KeyError...) or loops forever; tk-core answers "invalid". */
const TAURUS_RAISES = 'Taurus raises or hangs; tk-core: invalid';

function compareBool(t: Tally, what: string, n: string, a: OracleAnswer, ours: boolean): boolean {
  if (!a.ok) return ours === false ? t.add(TAURUS_RAISES) : t.fail(what, n, a.error, ours);
  return a.result === ours ? t.add('same') : t.fail(what, n, a.result, ours);
}

function compareGroups(
  t: Tally,
  n: string,
  a: OracleAnswer,
  ours: UriGroups | null,
  refs: readonly string[] | null,
): boolean {
  if (!a.ok) return ours === null ? t.add(TAURUS_RAISES) : t.fail('getUriGroups', n, a.error, ours);
  const tg = a.result as Record<string, unknown> | null;
  if (tg === null || ours === null) return tg === ours ? t.add('same') : t.fail('getUriGroups', n, tg, ours);
  for (const [k, tv] of Object.entries(tg)) {
    if (k === '_evalrefs') {
      if (JSON.stringify(tv) !== JSON.stringify(refs)) return t.fail('getUriGroups._evalrefs', n, tv, refs);
      continue;
    }
    if (!(k in ours)) continue; // groups only Taurus defines (unnamed sub-groups)
    const ov = (ours as Record<string, unknown>)[k];
    if ((tv ?? undefined) !== (ov ?? undefined)) return t.fail(`getUriGroups.${k}`, n, tv, ov);
  }
  return t.add('same');
}

function compareNames(
  t: Tally,
  kind: TaurusValidatorKind,
  n: string,
  a: OracleAnswer,
  ours: ModelNames | null,
): boolean {
  const o = ours === null ? null : [ours.fullName, ours.normalName, ours.simpleName];
  if (!a.ok) {
    if (kind === 'authority' && a.error.startsWith('KeyError') && o !== null && o[0] === 'eval://localhost') {
      return t.add(
        'Taurus raises KeyError for old eval://db=<name> authorities; tk-core names the only authority',
      );
    }
    return o === null ? t.add(TAURUS_RAISES) : t.fail(`getNames(${kind})`, n, a.error, o);
  }
  const tn = a.result as (string | null)[] | null;
  if (tn !== null && tn[0] === null && o === null) {
    return t.add('Taurus gives no full name when a reference is not an attribute; tk-core: invalid (null)');
  }
  return JSON.stringify(tn) === JSON.stringify(o) ? t.add('same') : t.fail(`getNames(${kind})`, n, tn, o);
}

// ------------------------------------------------------------------ the test
describeWithTaurus('eval names: differential test against the real Taurus', (oracle) => {
  it(`tk-core answers like Taurus for ${NUM_NAMES} generated names`, { timeout: 120_000 }, async () => {
    const names = [...new Set(fc.sample(allNames, { seed: SEED, numRuns: NUM_NAMES }))];
    const resolver: NameResolver = createEvalOnlyResolver();
    const v = createEvalValidators(resolver);
    const byKind: Record<TaurusValidatorKind, NameValidator> = v;
    const requests: OracleRequest[] = [];
    for (const n of names) {
      for (const kind of KINDS) {
        for (const strict of [null, true]) requests.push({ op: 'isValid', validator: kind, name: n, strict });
        requests.push({ op: 'getNames', validator: kind, name: n });
      }
      requests.push({ op: 'getUriGroups', validator: 'attribute', name: n, strict: null });
      requests.push({ op: 'getUriGroups', validator: 'device', name: n, strict: null });
      requests.push({ op: 'isValidName', name: n, strict: null });
      requests.push({ op: 'isValidName', name: n, types: ['Attribute'], strict: true });
      requests.push({ op: 'getValidTypesForName', name: n, strict: null });
      requests.push({ op: 'getValidTypesForName', name: n, strict: true });
    }
    const answers = await oracle().batch(requests);
    const nested = new Map(names.map((n) => [n, withNested(n)]));
    const growing = await taurusGrowing((r) => oracle().batch(r), v.attribute, [...nested.values()].flat());
    const t = new Tally();
    let i = 0;
    const attrValidator = v.attribute as EvalAttributeNameValidator;
    for (const n of names) {
      t.explained = hitsSemicolonQuirk(attrValidator, n)
        ? SEMICOLON_QUIRK
        : nested.get(n)!.some((x) => growing.has(x))
          ? FULL_NAME_GROWS
          : undefined;
      for (const kind of KINDS) {
        for (const strict of [false, true])
          compareBool(
            t,
            `isValid(${kind}, strict=${strict})`,
            n,
            answers[i++]!,
            byKind[kind].isValid(n, { strict }),
          );
        compareNames(t, kind, n, answers[i++]!, byKind[kind].getNames(n));
      }
      const attr = v.attribute as EvalAttributeNameValidator;
      compareGroups(t, n, answers[i++]!, attr.getUriGroups(n), attr.getEvalRefs(n));
      compareGroups(t, n, answers[i++]!, v.device.getUriGroups(n), null);
      const bracesBroken = findBraceGroups(n) === null;
      const aborted = (a: OracleAnswer): boolean => !a.ok && bracesBroken && resolver.isValidName(n);
      for (const [what, opts] of [
        ['isValidName', {}],
        ['isValidName(Attribute, strict)', { types: ['Attribute' as const], strict: true }],
      ] as const) {
        const a = answers[i++]!;
        if (aborted(a)) t.add(TAURUS_ABORTS_TYPES);
        else compareBool(t, what, n, a, resolver.isValidName(n, opts));
      }
      for (const strict of [false, true]) {
        const a = answers[i++]!;
        const ours = (['Attribute', 'Device', 'Authority'] as const).filter((k) =>
          resolver.isValidName(n, { types: [k], strict }),
        );
        if (aborted(a)) t.add(TAURUS_ABORTS_TYPES);
        else if (!a.ok)
          ours.length === 0 ? t.add(TAURUS_RAISES) : t.fail('getValidTypesForName', n, a.error, ours);
        else if (JSON.stringify(a.result) === JSON.stringify(ours)) t.add('same');
        else t.fail(`getValidTypesForName(strict=${strict})`, n, a.result, ours);
      }
    }
    const valid = names.filter((n) => resolver.isValidName(n)).length;
    const same = t.counts.get('same') ?? 0;
    console.log(
      `eval names differential: ${names.length} names (${valid} valid), ${t.total} answers compared, ` +
        `${same} identical (${((100 * same) / t.total).toFixed(2)}%); by verdict: ${JSON.stringify(Object.fromEntries(t.counts))}`,
    );
    expect(t.mismatches).toEqual([]);
    expect(valid).toBeGreaterThan(names.length / 5);
  });
});
