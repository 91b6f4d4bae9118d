/**
 * `tk oldb ls|tree|get|declare|set|produce|migrate`: the OLDB browser in a terminal,
 * against Redis (`--redis URL`, `TK_OLDB_URL`) or the embedded store
 * (`--embedded`).
 *
 * @module
 */
import type { Command } from 'commander';
import { TkError } from '../../errors/tk-error.js';
import { NotDeclaredError } from '../../oldb-store/errors.js';
import { copyStore } from '../../oldb-store/migrate.js';
import { isValidNodePath, isValidPath } from '../../oldb-store/path.js';
import { createRedisStore } from '../../oldb-store/redis-store.js';
import { DEFAULT_REDIS_URL } from '../../oldb-store/redis-url.js';
import type {
  OldbChild,
  OldbIfExists,
  OldbMetadata,
  OldbQuality,
  OldbSnapshot,
  OldbStore,
} from '../../oldb-store/types.js';
import { isOldbType } from '../../oldb-store/values.js';
import { taurusQuality } from '../../schemes/oldb/mapping.js';
import { openOldbStore } from '../../schemes/oldb/open-store.js';
import { UsageError } from '../exit-codes.js';
import { clipText, colorQuality, formatTime } from '../format.js';
import { parsePositive, parseSeconds, untilStopped } from '../live/until-stopped.js';
import type { CliRuntime } from '../runtime.js';
import { oldbTextOptions, PLAIN_VALUE_WIDTH, type ValueTextOptions, valueWithUnits } from '../value-text.js';
import { jsonText } from './json.js';
import { parseLimits, parseOldbValue } from './oldb-values.js';
import { runProducer } from './produce.js';

/**
 * The store `tk oldb` works on: the shared embedded one, or a Redis store it
 * owns; which one is resolved as the `cii.oldb` scheme resolves it
 * ({@link CliRuntime.oldbTarget}), so both reject the same settings.
 */
export function openStore(runtime: CliRuntime): { store: OldbStore; owned: boolean } {
  return openOldbStore(runtime.oldbResolved(), { timeout: runtime.timeoutMs() });
}

/**
 * Runs `fn` on the store of {@link openStore}; the embedded one starts with
 * the example datapoints (`example`, all but `tk oldb produce`, which runs its
 * own producer).
 */
async function withStore(
  runtime: CliRuntime,
  fn: (store: OldbStore) => Promise<void>,
  example = true,
): Promise<void> {
  const { store, owned } = openStore(runtime);
  try {
    if (example) await runtime.startEmbeddedExample();
    await fn(store);
  } finally {
    if (owned) await store.close();
  }
}

/** OLDB quality in the colour of the Taurus quality it maps to (the scheme's mapping, `taurusQuality`). */
function colorOldbQuality(q: OldbQuality, runtime: CliRuntime): string {
  return colorQuality(taurusQuality(q), runtime.colors).replace(/VALID|WARNING|INVALID/, q);
}

/** Most characters of a value in a line of tk oldb ls or tree. */
const LIST_VALUE_WIDTH = 48;

/**
 * A datapoint's value with units as `tk read`, `tk watch` and a tk-core/ui
 * display show it through the cii.oldb scheme (its format, doubles as floats).
 */
function valueText(s: OldbSnapshot, width = PLAIN_VALUE_WIDTH): string {
  return clipText(valueWithUnits(s.value, oldbTextOptions(s.type, s.metadata)), width);
}

/**
 * What is at a path that has no children: a datapoint (returned), or nothing
 * (a NOT_FOUND error naming the store and what would list the tree).
 */
async function leafAt(store: OldbStore, path: string): Promise<OldbSnapshot> {
  try {
    if (isValidPath(path)) return await store.read(path);
  } catch (e) {
    if (!(e instanceof NotDeclaredError)) throw e;
  }
  throw new TkError(
    'NOT_FOUND',
    `Nothing at ${path} in ${store.description}: no node or datapoint has that path; tk oldb ls / lists the top-level nodes`,
    { details: { path } },
  );
}

/**
 * The datapoint at `path`; a node there is named as such, with its children
 * (exit 2), and a missing datapoint is named with the command that declares it.
 */
export async function readDatapoint(store: OldbStore, path: string): Promise<OldbSnapshot> {
  try {
    return await store.read(path);
  } catch (e) {
    // not declared, or a top-level path such as /root that can only be a node
    if (!(e instanceof NotDeclaredError) && (isValidPath(path) || !isValidNodePath(path))) throw e;
    const children = await store.listChildren(path).catch(() => []);
    if (children.length > 0) throw nodeNotDatapoint(path, children);
    throw e;
  }
}

function nodeNotDatapoint(path: string, children: readonly OldbChild[]): UsageError {
  const names = children.slice(0, 5).map((c) => (c.kind === 'node' ? `${c.name}/` : c.name));
  const more = children.length > 5 ? `, ... (${children.length})` : '';
  return new UsageError(
    `${path} is a node with children (${names.join(', ')}${more}), not a datapoint: tk oldb ls ${path} lists them, tk oldb get ${path}/<name> shows one`,
  );
}

function datapointLine(name: string, s: OldbSnapshot, runtime: CliRuntime): string {
  return `${name.padEnd(24)} ${s.type.padEnd(10)} ${valueText(s, LIST_VALUE_WIDTH).padEnd(24)} ${colorOldbQuality(s.quality, runtime)}`;
}

async function ls(runtime: CliRuntime, store: OldbStore, path: string): Promise<void> {
  const children = await store.listChildren(path);
  if (children.length === 0) {
    if (path === '/') {
      runtime.note(`tk: nothing in ${store.description}: the OLDB is empty`);
      return;
    }
    // a datapoint lists as itself (as ls lists a file); nothing there is an error
    const s = await leafAt(store, path);
    runtime.print(datapointLine(path, s, runtime));
    return;
  }
  const points = children.filter((c) => c.kind === 'datapoint');
  const snaps = points.length > 0 ? await store.readMany(points.map((p) => p.path)) : [];
  const byPath = new Map(points.map((p, i) => [p.path, snaps[i]]));
  const c = runtime.colors;
  for (const child of children) {
    if (child.kind === 'node') {
      runtime.print(`${c.blue(`${child.name}/`)}`);
      continue;
    }
    const s = byPath.get(child.path);
    runtime.print(s === undefined ? child.name : datapointLine(child.name, s, runtime));
  }
}

async function tree(runtime: CliRuntime, store: OldbStore, path: string, depth: number): Promise<void> {
  const c = runtime.colors;
  if (path !== '/' && (await store.listChildren(path)).length === 0) {
    const s = await leafAt(store, path); // a datapoint is a tree of one; nothing there is an error
    runtime.print(`${c.bold(path)}${c.dim(`  ${s.type}  ${valueText(s, LIST_VALUE_WIDTH)}  ${s.quality}`)}`);
    return;
  }
  runtime.print(c.bold(path));
  const walk = async (node: string, prefix: string, level: number): Promise<void> => {
    const children = await store.listChildren(node);
    const points = children.filter((x) => x.kind === 'datapoint');
    const snaps = points.length > 0 ? await store.readMany(points.map((p) => p.path)) : [];
    const byPath = new Map(points.map((p, i) => [p.path, snaps[i]]));
    for (const [i, child] of children.entries()) {
      const last = i === children.length - 1;
      const branch = `${prefix}${last ? '└── ' : '├── '}`;
      if (child.kind === 'node') {
        runtime.print(`${branch}${c.blue(child.name)}`);
        if (level < depth) await walk(child.path, `${prefix}${last ? '    ' : '│   '}`, level + 1);
      } else {
        const s = byPath.get(child.path);
        runtime.print(
          `${branch}${child.name}${s ? c.dim(`  ${s.type}  ${valueText(s, LIST_VALUE_WIDTH)}  ${s.quality}`) : ''}`,
        );
      }
    }
  };
  await walk(path, '', 1);
}

function printSnapshot(runtime: CliRuntime, s: OldbSnapshot): void {
  const c = runtime.colors;
  const label = (t: string) => c.dim(t.padEnd(12));
  runtime.print(`${label('path')}${s.path}`);
  runtime.print(`${label('type')}${s.type}`);
  runtime.print(`${label('value')}${c.bold(valueText(s))}`);
  runtime.print(`${label('quality')}${colorOldbQuality(s.quality, runtime)}`);
  runtime.print(`${label('timestamp')}${formatTime(s.timestamp)}`);
  runtime.print(`${label('seq')}${s.seq}`);
  for (const [k, v] of Object.entries(s.metadata)) {
    if (v !== undefined)
      runtime.print(`${label(k)}${Array.isArray(v) ? `[${v.map((x) => x ?? '-').join(', ')}]` : String(v)}`);
  }
}

async function watchPoint(
  runtime: CliRuntime,
  store: OldbStore,
  path: string,
  options: WatchOpts,
): Promise<void> {
  const count = parsePositive(options.count, '--count', true);
  if (!isValidPath(path)) await readDatapoint(store, path); // a top-level node such as /root, named as one
  const stop = untilStopped(parseSeconds(options.duration, '--duration'));
  const json = options.json === true;
  let n = 0;
  let failure: Error | undefined;
  let units = ''; // from the latest snapshot or metadata event: every value line carries them
  let shown: ValueTextOptions = {}; // and is formatted as the datapoint's type and format say
  const print = (text: string, record: Record<string, unknown>) =>
    runtime.print(json ? jsonText({ path, ...record }, 0) : text);
  const sub = store.subscribe(path, (e) => {
    if (e.kind === 'error') {
      failure = e.error;
      stop.stop();
      return;
    }
    if (e.kind === 'snapshot') {
      const s = e.snapshot;
      units = s.metadata.units ?? '';
      shown = oldbTextOptions(s.type, s.metadata);
      print(`${formatTime(s.timestamp)}  ${valueText(s)}  ${s.quality}${e.resync ? '  (resync)' : ''}`, {
        kind: 'snapshot',
        time: s.timestamp,
        value: s.value,
        units,
        quality: s.quality,
        type: s.type,
        metadata: s.metadata,
        ...(e.resync ? { resync: true } : {}),
      });
    } else if (e.kind === 'value') {
      const v = e.sample;
      print(
        `${formatTime(v.timestamp)}  ${clipText(valueWithUnits(v.value, shown), PLAIN_VALUE_WIDTH)}  ${v.quality}`,
        {
          kind: 'value',
          time: v.timestamp,
          value: v.value,
          units,
          quality: v.quality,
        },
      );
    } else if (e.kind === 'metadata') {
      units = e.metadata.units ?? '';
      shown = { ...oldbTextOptions(undefined, e.metadata), asFloat: shown.asFloat };
      print(`metadata  ${JSON.stringify(e.metadata)}`, { kind: 'metadata', metadata: e.metadata });
    } else print(`removed  ${e.path}`, { kind: 'removed' });
    if (count !== undefined && ++n >= count) stop.stop();
  });
  await stop.stopped;
  sub.unsubscribe();
  if (failure !== undefined) {
    // a node is named as such (the store only says "not declared" or "invalid datapoint path")
    if (
      failure instanceof NotDeclaredError ||
      (failure instanceof TkError && failure.code === 'INVALID_NAME')
    )
      await readDatapoint(store, path);
    throw failure;
  }
}

interface WatchOpts {
  watch?: boolean;
  count?: string;
  duration?: string;
  json?: boolean;
}

interface DeclareOpts {
  value?: string;
  units?: string;
  label?: string;
  description?: string;
  range?: string;
  alarms?: string;
  warnings?: string;
  format?: string;
  readOnly?: boolean;
  ifExists?: string;
  json?: boolean;
}

const STORE_HELP = `
The OLDB is Redis (--redis URL, else env TK_OLDB_URL, else ${DEFAULT_REDIS_URL}) or, with --embedded, this
tk process's own in-process OLDB: it holds the example datapoints (/root/example/...), kept changing while
the command runs, and no other process sees it.`;

/** Registers `tk oldb` and its subcommands. */
export function registerOldb(program: Command, runtime: CliRuntime): void {
  const oldb = program
    .command('oldb')
    .description('browse and edit the online database (OLDB): ls, tree, get, declare, set, produce, migrate')
    .addHelpText(
      'after',
      `
Examples:
  $ tk oldb tree /root
  $ tk oldb get /root/example/double/sine --watch
  $ tk oldb declare /root/demo/x double --units mm --range 0,100 --value 12
  $ tk oldb set /root/demo/x '3 cm'
  $ tk oldb produce --rate 5
${STORE_HELP}`,
    );

  oldb
    .command('ls')
    .description('list the children of a path node, with the type, value and quality of datapoints')
    .argument('[path]', 'a node path', '/')
    .addHelpText('after', `\nExamples:\n  $ tk oldb ls /root/example/double\n${STORE_HELP}`)
    .action((path: string) => withStore(runtime, (s) => ls(runtime, s, path)));

  oldb
    .command('tree')
    .description('show the tree of nodes and datapoints under a path')
    .argument('[path]', 'a node path', '/')
    .option('--depth <n>', 'levels shown', '8')
    .addHelpText('after', `\nExamples:\n  $ tk oldb tree /root --depth 2\n${STORE_HELP}`)
    .action((path: string, o: { depth: string }) =>
      withStore(runtime, (s) => tree(runtime, s, path, parsePositive(o.depth, '--depth', true) ?? 8)),
    );

  oldb
    .command('get')
    .description("show a datapoint's value, quality, timestamp and metadata; --watch follows its changes")
    .argument('<path>', 'a datapoint path')
    .option('--json', 'print JSON (times as ISO text); with --watch, one JSON object a line')
    .option('--watch', 'print every change until Ctrl-C')
    .option('--count <n>', 'with --watch: end after n events')
    .option('--duration <seconds>', 'with --watch: end after this many seconds')
    .addHelpText(
      'after',
      `\nExamples:\n  $ tk oldb get /root/example/double/sine\n  $ tk oldb get /root/example/double/sine --watch --count 5\n${STORE_HELP}`,
    )
    .action((path: string, o: WatchOpts) =>
      withStore(runtime, async (s) => {
        if (o.watch === true) return watchPoint(runtime, s, path, o);
        const snap = await readDatapoint(s, path);
        if (o.json === true) runtime.print(jsonText(snap));
        else printSnapshot(runtime, snap);
      }),
    );

  oldb
    .command('declare')
    .description('declare a datapoint with its type, metadata and initial value')
    .argument('<path>', 'a datapoint path')
    .argument('<type>', 'double, integer, boolean, string, or one of them with [] for arrays')
    .option('--value <value>', 'initial value (JSON for arrays)')
    .option('--units <units>', 'units of numeric values (js-quantities spelling: mm, V, degC)')
    .option('--label <text>', 'short label')
    .option('--description <text>', 'description')
    .option('--range <low,high>', 'display and write range (either side may be empty)')
    .option('--alarms <low,high>', 'alarm limits')
    .option('--warnings <low,high>', 'warning limits')
    .option('--format <printf>', 'display format hint, e.g. %6.3f')
    .option('--read-only', 'refuse writes through tk-core')
    .option('--if-exists <what>', 'error, keep or replace', 'error')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `\nExamples:\n  $ tk oldb declare /root/demo/x double --units mm --range 0,100 --value 12\n  $ tk oldb declare /root/demo/wave 'double[]' --value '[1,2,3]'\n${STORE_HELP}`,
    )
    .action((path: string, type: string, o: DeclareOpts) =>
      withStore(runtime, async (s) => {
        if (!isOldbType(type)) {
          throw new UsageError(
            `Invalid OLDB type ${JSON.stringify(type)}: expected double, integer, boolean, string or one of them with []`,
          );
        }
        const ifExists = o.ifExists ?? 'error';
        if (!['error', 'keep', 'replace'].includes(ifExists)) {
          throw new UsageError(
            `Invalid --if-exists ${JSON.stringify(ifExists)}: expected error, keep or replace`,
          );
        }
        const metadata: OldbMetadata = {
          ...(o.units !== undefined ? { units: o.units } : {}),
          ...(o.label !== undefined ? { label: o.label } : {}),
          ...(o.description !== undefined ? { description: o.description } : {}),
          ...(o.range !== undefined ? { range: parseLimits(o.range, '--range') } : {}),
          ...(o.alarms !== undefined ? { alarms: parseLimits(o.alarms, '--alarms') } : {}),
          ...(o.warnings !== undefined ? { warnings: parseLimits(o.warnings, '--warnings') } : {}),
          ...(o.format !== undefined ? { format: o.format } : {}),
          ...(o.readOnly === true ? { writable: false } : {}),
        };
        const value = o.value === undefined ? undefined : parseOldbValue(path, type, metadata, o.value);
        const snap = await s.declare(
          path,
          { type, metadata, ...(value !== undefined ? { value } : {}) },
          { ifExists: ifExists as OldbIfExists },
        );
        if (o.json === true) runtime.print(jsonText(snap));
        else runtime.print(`declared ${snap.path}: ${snap.type} = ${valueText(snap)} in ${s.description}`);
      }),
    );

  oldb
    .command('set')
    .description("write a datapoint's value (numbers may carry units, converted to the datapoint's)")
    .argument('<path>', 'a datapoint path')
    .argument('<value>', "the value: 12.5, '3 cm', true, text, '[1,2,3]'")
    .option('--quality <q>', 'OK, SUSPECT or BAD', 'OK')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `\nExamples:\n  $ tk oldb set /root/demo/x '3 cm'\n  $ tk oldb set /root/demo/x 12 --quality SUSPECT\n${STORE_HELP}`,
    )
    .action((path: string, text: string, o: { quality: string; json?: boolean }) =>
      withStore(runtime, async (s) => {
        const q = o.quality.toUpperCase();
        if (q !== 'OK' && q !== 'SUSPECT' && q !== 'BAD') {
          throw new UsageError(`Invalid --quality ${JSON.stringify(o.quality)}: expected OK, SUSPECT or BAD`);
        }
        const current = await readDatapoint(s, path);
        const value = parseOldbValue(path, current.type, current.metadata, text);
        const res = await s.write(path, { value, quality: q });
        if (o.json === true) runtime.print(jsonText(res));
        else {
          const after = valueWithUnits(res.value, oldbTextOptions(current.type, current.metadata));
          runtime.print(
            `set ${res.path}: ${text} -> ${clipText(after, PLAIN_VALUE_WIDTH)} ${res.quality} (was ${valueText(current)})`,
          );
        }
      }),
    );

  oldb
    .command('produce')
    .description(
      'run the example producer: declares the /root/example/... datapoints and keeps them changing',
    )
    .option('--rate <hz>', 'update rounds per second', '10')
    .option('--duration <seconds>', 'end after this many seconds')
    .addHelpText(
      'after',
      `\nExamples:\n  $ tk oldb produce --rate 5                 # into Redis; in another terminal:\n  $ tk watch cii.oldb:/root/example/double/sine\n  $ tk --redis redis://oldb:6379 oldb produce --duration 60\n
Other processes see what it produces in Redis only. With --embedded it writes to this process's own OLDB,
which no other process sees: to see the example datapoints without Redis, run tk demo, or give
--embedded to the command that shows them (tk watch cii.oldb:/root/example/double/sine --embedded runs
the producer in its own process).${STORE_HELP}`,
    )
    .action((o: { rate: string; duration?: string }) =>
      withStore(
        runtime,
        (s) =>
          runProducer(
            runtime,
            s,
            parsePositive(o.rate, '--rate') ?? 10,
            parseSeconds(o.duration, '--duration'),
          ),
        false,
      ),
    );

  oldb
    .command('migrate')
    .description(
      'copy every datapoint (type, value, time, quality, metadata) of the OLDB into another one, e.g. a Redis Cluster',
    )
    .argument('[path]', 'the node whose subtree is copied', '/')
    .requiredOption(
      '--to <url>',
      'the target OLDB: redis://..., redis+cluster://h1:p1,h2:p2, redis+sentinel://...',
    )
    .option('--if-exists <what>', 'a datapoint the target has: replace, keep or error', 'replace')
    .addHelpText(
      'after',
      `\nExamples:\n  $ tk --redis redis://old:6379 oldb migrate --to redis+cluster://n1:7000,n2:7001\n  $ tk oldb migrate /elt/tdm --to redis+cluster://n1:7000 --if-exists keep\n
The source is the OLDB of --redis (or TK_OLDB_URL); the single-server layout is read, the target's own
layout is written (the cluster layout on a cluster). Running it again is safe.${STORE_HELP}`,
    )
    .action((path: string, o: { to: string; ifExists: string }) =>
      withStore(runtime, async (s) => {
        const ifExists = o.ifExists;
        if (ifExists !== 'replace' && ifExists !== 'keep' && ifExists !== 'error') {
          throw new UsageError(
            `Invalid --if-exists ${JSON.stringify(ifExists)}: expected replace, keep or error`,
          );
        }
        const target = createRedisStore({ url: o.to, timeout: runtime.timeoutMs() });
        try {
          const r = await copyStore(s, target, { under: path, ifExists });
          runtime.print(
            `copied ${r.copied} datapoint(s) under ${path} from ${s.description} to ${target.description}` +
              (r.vanished > 0 ? ` (${r.vanished} removed meanwhile)` : ''),
          );
        } finally {
          await target.close();
        }
      }),
    );
}
