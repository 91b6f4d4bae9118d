/**
 * `tk validate URI`: whether a name is valid, as which element types, its
 * names and URI groups, strict or not; which part failed when invalid.
 *
 * @module
 */
import type { Command } from 'commander';
import { ELEMENT_TYPES, type ElementType } from '../../core/enums.js';
import { UnknownSchemeError } from '../../errors/tk-error.js';
import type { Manager } from '../../manager/manager.js';
import { explicitScheme } from '../../validators/name-validator.js';
import { ExitCode } from '../exit-codes.js';
import type { CliRuntime } from '../runtime.js';

/** What `tk validate` found out about one name. */
export interface Validation {
  readonly name: string;
  readonly scheme: string | undefined;
  readonly valid: boolean;
  /** Element types the name is valid for (non-strict). */
  readonly types: ElementType[];
  /** Element types the name is strictly valid for. */
  readonly strictTypes: ElementType[];
  /** Per valid type: names, fragment and URI groups. */
  readonly as: Record<
    string,
    {
      fullName: string;
      normalName: string;
      simpleName: string;
      fragment: string | undefined;
      strict: boolean;
      groups: Record<string, string>;
    }
  >;
  /** Per invalid type: which part failed and what it expects. */
  readonly errors: Record<string, { part: string; expected: string; message: string }>;
  /** Why the name could not be checked at all (unknown or missing scheme). */
  readonly problem?: string;
}

/** Validates `name` in `manager`. */
export function validateName(manager: Manager, name: string): Validation {
  const written = explicitScheme(name);
  const scheme = written ?? manager.defaultScheme;
  const base = { name, scheme, valid: false, types: [], strictTypes: [], as: {}, errors: {} };
  if (scheme === undefined) {
    return {
      ...base,
      problem: `${JSON.stringify(name)} has no scheme and no default scheme is set: write it as <scheme>:..., with one of ${manager.schemes.join(', ')}`,
    };
  }
  if (manager.getPlugin(scheme) === undefined) {
    return { ...base, problem: new UnknownSchemeError(name, scheme, manager.schemes).message };
  }
  const full = written === undefined ? `${scheme}:${name}` : name;
  const result: Validation = { ...base, as: {}, errors: {}, types: [], strictTypes: [] };
  for (const type of ELEMENT_TYPES) {
    const v = manager.getValidator(scheme, type);
    const groups = v.getUriGroups(full, { strict: false });
    if (groups === null) {
      const e = v.invalidNameError(full);
      result.errors[type] = {
        part: String(e.details.part ?? ''),
        expected: String(e.details.expected ?? ''),
        message: e.message,
      };
      continue;
    }
    const names = v.getNames(full);
    if (names === null) {
      result.errors[type] = {
        part: 'names',
        expected: '',
        message: `the ${scheme} validator gave no names for it`,
      };
      continue;
    }
    result.types.push(type);
    if (groups.__STRICT__) result.strictTypes.push(type);
    const shown: Record<string, string> = {};
    for (const [k, x] of Object.entries(groups))
      if (k !== '__STRICT__' && x !== undefined) shown[k] = String(x);
    result.as[type] = {
      fullName: names.fullName,
      normalName: names.normalName,
      simpleName: names.simpleName,
      fragment: names.fragment,
      strict: groups.__STRICT__,
      groups: shown,
    };
  }
  return { ...result, valid: result.types.length > 0 };
}

function print(runtime: CliRuntime, v: Validation): void {
  const c = runtime.colors;
  const label = (s: string) => c.dim(s.padEnd(13));
  runtime.print(`${label('name')}${v.name}`);
  if (v.problem !== undefined) {
    runtime.print(`${label('valid')}${c.red('no')}`);
    runtime.print(`${label('problem')}${v.problem}`);
    return;
  }
  runtime.print(`${label('scheme')}${v.scheme}`);
  if (!v.valid) {
    runtime.print(`${label('valid')}${c.red('no')}`);
    for (const [type, e] of Object.entries(v.errors)) {
      runtime.print(`${label(`as ${type}`)}the ${c.bold(e.part)} part is wrong; expected ${e.expected}`);
    }
    return;
  }
  const strictness =
    v.strictTypes.length === v.types.length
      ? 'strict'
      : v.strictTypes.length === 0
        ? 'non-strict only (a backwards-compatible form; rejected with strict names)'
        : `strict as ${v.strictTypes.join(', ')}; non-strict as the others`;
  runtime.print(`${label('valid')}${c.green('yes')}, as ${v.types.join(', ')} (${strictness})`);
  for (const [type, a] of Object.entries(v.as)) {
    runtime.print('');
    runtime.print(c.bold(`as ${type}${a.strict ? '' : ' (non-strict)'}`));
    runtime.print(`  ${label('full name')}${a.fullName}`);
    runtime.print(`  ${label('normal name')}${a.normalName}`);
    runtime.print(`  ${label('simple name')}${a.simpleName}`);
    if (a.fragment !== undefined && a.fragment !== '') runtime.print(`  ${label('fragment')}${a.fragment}`);
    const groups = Object.entries(a.groups);
    runtime.print(`  ${label('URI groups')}${groups.length === 0 ? '-' : ''}`);
    for (const [k, x] of groups) runtime.print(`    ${k.padEnd(18)} ${JSON.stringify(x)}`);
  }
  const invalid = Object.entries(v.errors);
  if (invalid.length > 0) {
    runtime.print('');
    for (const [type, e] of invalid)
      runtime.print(
        c.dim(
          `not ${type === 'Attribute' || type === 'Authority' ? 'an' : 'a'} ${type} name: the ${e.part} part is wrong`,
        ),
      );
  }
}

/** Registers `tk validate`. */
export function registerValidate(program: Command, runtime: CliRuntime): void {
  program
    .command('validate')
    .description(
      'check a model name: valid as which element types, full/normal/simple names, URI groups, strictness',
    )
    .argument('<uri>', 'the name to check')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ tk validate 'eval:{eval:1}*2'
  $ tk validate 'cii.oldb:/root/example/double/sine#rvalue.units'
  $ tk validate 'loc:/a/b?units=m' --json

Exit code 0 when the name is valid, 2 when it is not (the output says which part failed).`,
    )
    .action(async (uri: string, options: { json?: boolean }) => {
      const v = validateName(await runtime.manager(), uri);
      if (options.json === true) runtime.print(JSON.stringify(v, null, 2));
      else print(runtime, v);
      if (!v.valid) runtime.raise(ExitCode.Usage);
    });
}
