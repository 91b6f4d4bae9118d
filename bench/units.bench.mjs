// Cost of tk-core's unit engine (src/units: unit-parser, unit-registry,
// Quantity.to) against baselines measured in the same run, in alternating
// rounds (the figure is the median of the per-round ratios):
// - Quantity.to on a number, converter cached (the update path: a cache
//   lookup, the converter, a new Quantity), against plain multiplication by
//   the factor;
// - the converter function alone (dimension.ts scaler) against
//   js-quantities' swiftConverter, what Quantity.to called before
//   (js-quantities is a devDependency kept for this baseline only);
// - reading a unit text (no cache: expressionMeaning), against
//   js-quantities' Qty.parse of the same text.
// Bundles src/units with esbuild first (no build of dist needed).
//
// Usage: node bench/units.bench.mjs [--rounds 7] [--seconds 0.3]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import Qty from 'js-quantities';
import { median, rate, report } from './lib.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const ROUNDS = Number(arg('--rounds', 7));
const SECONDS = Number(arg('--seconds', 0.3));

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tk-units-bench-'));
const out = join(dir, 'units.mjs');
await build({
  stdin: {
    contents:
      "export { Quantity } from './src/units/quantity.ts'; export { expressionMeaning } from './src/units/unit-registry.ts'; export { scaler } from './src/units/dimension.ts';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: out,
  logLevel: 'silent',
});
const { Quantity, expressionMeaning, scaler } = await import(out);
rmSync(dir, { recursive: true, force: true });

/** Unit pairs spelled so that both engines read them. */
const PAIRS = [
  ['mm', 'm'],
  ['kPa', 'bar'],
  ['mA', 'A'],
  ['m/s', 'km/h'],
  ['kg*m/s^2', 'N'],
  ['deg', 'rad'],
];
/** Unit texts to read. */
const TEXTS = ['mm', 'kPa', 'm/s^2', 'kg*m^2/s^2', 'mm^2', 'W/m^2', 'mA', 'kHz'];

const factors = PAIRS.map(([a, b]) => Quantity.of(1, a).to(b).magnitude);
const swift = PAIRS.map(([a, b]) => Qty.swiftConverter(a, b));
const scalers = PAIRS.map(([a, b]) => scaler(expressionMeaning(a), expressionMeaning(b)));
const quantities = PAIRS.map(([a]) => Quantity.of(1.5, a));
for (const [a, b] of PAIRS) {
  const jsq = Qty(1, a).to(b).scalar;
  const ours = Quantity.of(1, a).to(b).magnitude;
  if (Math.abs(jsq - ours) > 1e-12 * Math.abs(jsq))
    throw new Error(`${a} → ${b}: ${ours} vs js-quantities ${jsq}`);
}

let sink = 0;
const rounds = { to: [], plain: [], swift: [], scaler: [], parse: [], jsqParse: [] };
for (let r = 0; r < ROUNDS; r++) {
  rounds.to.push(
    rate((i) => {
      const k = i % PAIRS.length;
      sink += quantities[k].to(PAIRS[k][1]).magnitude;
    }, SECONDS),
  );
  rounds.plain.push(
    rate((i) => {
      const k = i % PAIRS.length;
      sink += 1.5 * factors[k];
    }, SECONDS),
  );
  rounds.swift.push(
    rate((i) => {
      sink += swift[i % PAIRS.length](1.5);
    }, SECONDS),
  );
  rounds.scaler.push(
    rate((i) => {
      sink += scalers[i % PAIRS.length](1.5);
    }, SECONDS),
  );
  rounds.parse.push(
    rate((i) => {
      sink += expressionMeaning(TEXTS[i % TEXTS.length]).f;
    }, SECONDS),
  );
  rounds.jsqParse.push(
    rate((i) => {
      sink += Qty.parse(`1 ${TEXTS[i % TEXTS.length]}`).scalar;
    }, SECONDS),
  );
}
const per = (a, b) => median(rounds[a].map((x, i) => x / rounds[b][i]));
report(`Units (${ROUNDS} alternating rounds of ${SECONDS} s; load ${loadavg()[0].toFixed(1)})`, [
  {
    name: 'Quantity.to (number, cached converter)',
    ops: median(rounds.to),
    ratio: per('to', 'plain'),
    baselineName: 'plain multiplication',
  },
  {
    name: 'converter function (dimension.ts scaler)',
    ops: median(rounds.scaler),
    ratio: per('scaler', 'swift'),
    baselineName: 'js-quantities swiftConverter',
  },
  {
    name: 'converter function (dimension.ts scaler)',
    ops: median(rounds.scaler),
    ratio: per('scaler', 'plain'),
    baselineName: 'plain multiplication',
  },
  {
    name: 'reading a unit text (expressionMeaning, no cache)',
    ops: median(rounds.parse),
    ratio: per('parse', 'jsqParse'),
    baselineName: 'js-quantities Qty.parse',
  },
]);
if (sink === 42) console.log('');
