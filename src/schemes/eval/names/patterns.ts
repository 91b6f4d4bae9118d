/**
 * The eval grammar as regular expression pieces: Taurus 5's patterns of
 * `evalvalidator.py`, spelt for JavaScript (named groups `(?<name>…)`,
 * Python's Unicode `\w` as `[\p{L}\p{N}_]`, Python's `$`, which also matches
 * before a final newline, as `(?=\n?$)`). They are what the eval validators
 * show as `namePattern` and `nonStrictNamePattern`; validation itself runs
 * the linear-time matchers of `uri-match.ts`, and test/eval/grammar-tie.test.ts
 * checks for generated names that both give the same matches and groups.
 *
 * @module
 */

/** Python's `\w` on text: a letter, a digit or `_`, in any script. */
const WORD = '[\\p{L}\\p{N}_]';

/** A Python identifier not glued to a preceding word or dot (Taurus's `PY_VAR`). */
const PY_VAR = '(?<![.a-zA-Z0-9_])[a-zA-Z_][a-zA-Z0-9_]*';

/** One substitution `k=v` (Taurus's `K_EQUALS_V`). */
const K_EQUALS_V = `(?:${PY_VAR})=(?:[^?#=;]+)`;

/** A dotted evaluator: `[inst=]module.Class[(args)]` (Taurus's `_evaldotname`). */
const EVAL_DOTTED_NAME =
  `(?:(?<_evalinstname>${WORD}+)=)?` +
  `(?<_evalmodname>(?:${WORD}+\\.)*${WORD}+)\\.` +
  `(?<_evalclassname>${WORD}+|\\*)` +
  `(?<_evalclassparenths>\\((?:"[^"]*"|'[^']*'|[^'"/])*?\\))?`;

/** An evaluator name after `@`: plain, or dotted (Taurus's `_evaluatorname`). */
export const EVALUATOR_NAME = `(?:(?<_evalname>[^/?#:.=]+)|(?<_evaldotname>${EVAL_DOTTED_NAME}))`;

/** The device part `@<evaluator>` (Taurus's `devname`). */
const DEVNAME = `(?<devname>@${EVALUATOR_NAME})`;

/** The authority of every eval name. */
export const AUTHORITY = '//localhost';

/** The path of a device name. */
export const DEVICE_PATH = `(?!//)/?${DEVNAME}`;

/** The path of an attribute name: `[@evaluator/][k=v;]*expression`. */
export const ATTRIBUTE_PATH = `(?!//)/?(?:${DEVNAME}/)?(?<attrname>(?<_subst>(?:${K_EQUALS_V};)+)?(?<_expr>[^@?#]+))`;

/** The fragment of an attribute name. */
export const ATTRIBUTE_FRAGMENT = '(?<cfgkey>[^# ]*)';

/** Taurus's old (pre-URI) authority names: `eval://db=<name>`. */
export const OLD_AUTHORITY_PATTERN = '^(?<scheme>eval|evaluation)://(?:db=(?<dbname>[^?#;]+))$';

/** Taurus's old device names: `eval://[db=<db>;]dev=<evaluator>[?<substitutions>]`. */
export const OLD_DEVICE_PATTERN =
  '^(?<scheme>eval|evaluation)://(?:db=(?<_dbname>[^?#;]+);)?' +
  `(?:dev=(?<_old_devname>${EVALUATOR_NAME}))` +
  '(?:\\?(?!configuration=)(?<_subst>[^#?]*))?$';

/** Taurus's old attribute names: `eval://[db=..;][dev=..;]expr[?k=v;..][?configuration[=key]]`. */
export const OLD_ATTRIBUTE_PATTERN =
  '^(?<scheme>eval|evaluation)://(?:db=(?<_dbname>[^?#;]+);)?' +
  '(?:dev=(?<_old_devname>[^?#;]+);)?' +
  '(?<_expr>[^?#;]+)' +
  `(?:\\?(?<_substquery>(?!configuration=)(?<_subst>${K_EQUALS_V}(?:;${K_EQUALS_V})*)))?` +
  '(?:\\?(?<query>configuration(?:=(?<fragment>(?<cfgkey>[^#?]*)))?))?$';

/**
 * Compiles a pattern of this module, or one composed from its pieces, with
 * Python's `re.match` meaning: Unicode classes, and `$` matching at the end
 * or before a final newline.
 */
export function compilePythonPattern(pattern: string): RegExp {
  return new RegExp(pattern.replace(/(?<!\\)\$/g, '(?=\\n?$)'), 'u');
}
