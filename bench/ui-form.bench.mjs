// A form of 1,000 items, each updated (the "1,000 items at 10 Hz"): CPU per update through the
// display controllers of tk-core/ui, against a bare value$ subscriber per attribute doing the same
// formatting by hand (Taurus's default formatter, the quality colours, the text) in the same process.
// Updates are pushed by writes to 1,000 loc points, one round = one update of every point; rounds of the
// three cases alternate (displays, bare subscribers, no subscriber at all) so drift hits them alike.
// Prints CPU per update of each case, the ratio of totals and the ratio of the subscriber parts
// (case minus the no-subscriber round). Env: ITEMS (1000), ROUNDS (40 per case), SLICES (5).
import { createManager } from '../dist/index.js';
import { createDisplay, createForm, defaultFormat, qualityColors } from '../dist/ui/index.js';
import { median } from './lib.mjs';

const ITEMS = Number(process.env.ITEMS ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 40);
const SLICES = Number(process.env.SLICES ?? 5);

const m = createManager({ gcTime: 0 });
const uris = Array.from({ length: ITEMS }, (_, i) => `loc:/bench/form/p${i}?type=float&units=mm`);
const attrs = uris.map((u) => m.attribute(u));
let value = 0;

async function round() {
  value += 0.125;
  await Promise.all(attrs.map((a, i) => a.write(value + i)));
}

function cpu() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function measure(setup) {
  const teardown = setup();
  for (let r = 0; r < 3; r++) await round(); // warm up this case's paths
  const t0 = cpu();
  for (let r = 0; r < ROUNDS; r++) await round();
  const us = cpu() - t0;
  teardown();
  return us / (ROUNDS * ITEMS);
}

const viaForm = () => {
  const form = createForm(uris, { manager: m });
  const stops = form.getSnapshot().items.map((it) => it.display.subscribe(() => renders++));
  return () => {
    for (const s of stops) s();
    form.dispose();
  };
};

const viaDisplays = () => {
  const ds = uris.map((u) => createDisplay(u, { manager: m }));
  const stops = ds.map((d) => d.subscribe(() => renders++));
  return () => {
    for (const s of stops) s();
    for (const d of ds) d.dispose();
  };
};

let renders = 0; // counted so the work of each case cannot be optimized away
const byHand = () => {
  const last = new Array(ITEMS);
  const subs = attrs.map((a, i) =>
    a.value$.subscribe((r) => {
      const colors = qualityColors(r.quality);
      const text = r.error ? '-----' : defaultFormat(r.rvalue, { asFloat: a.type === 'Float' });
      const prev = last[i];
      if (prev && prev.text === text && prev.background === colors.background) return;
      last[i] = {
        text,
        units: r.rvalue?.units ?? '',
        quality: r.quality,
        background: colors.background,
        foreground: colors.foreground,
      };
      renders++;
    }),
  );
  return () => {
    for (const s of subs) s.unsubscribe();
  };
};

const none = () => {
  const holds = attrs.map((a) => a.hold());
  return () => {
    for (const h of holds) h.dispose();
  };
};

const results = { displays: [], form: [], hand: [], none: [] };
for (let s = 0; s < SLICES; s++) {
  results.none.push(await measure(none));
  results.hand.push(await measure(byHand));
  results.displays.push(await measure(viaDisplays));
  results.form.push(await measure(viaForm));
}
const med = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
const f2 = (x) => x.toFixed(2);
console.log(
  `ui-form: ${ITEMS} items, ${ROUNDS} rounds x ${SLICES} slices per case (CPU microseconds per update, medians)`,
);
console.log(`  write only (no subscriber)         ${f2(med.none)} us`);
console.log(`  bare value$ + formatting by hand   ${f2(med.hand)} us`);
console.log(`  display controllers                ${f2(med.displays)} us`);
console.log(`  form (displays + inputs)           ${f2(med.form)} us`);
console.log(`  ratio displays / by hand, total               ${f2(med.displays / med.hand)}x (target <= 2x)`);
console.log(
  `  ratio displays / by hand, subscriber part     ${f2((med.displays - med.none) / (med.hand - med.none))}x`,
);
console.log(
  `  ratio form / by hand, subscriber part         ${f2((med.form - med.none) / (med.hand - med.none))}x`,
);
console.log(`  (renders counted: ${renders})`);
await m.dispose();
