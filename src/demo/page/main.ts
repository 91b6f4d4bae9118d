/**
 * The page `tk serve --demo` serves at `/`: a TaurusForm of the example
 * OLDB datapoints and a TaurusTrend of sine and cosine, built from
 * tk-core/ui controllers on a tk-core/remote manager, drawn with plain DOM
 * and uPlot. Bundled for the browser at build time (scripts/build-demo.mjs).
 *
 * The DOM carries `data-*` attributes the browser test reads
 * (test/demo/demo-page.test.ts).
 *
 * @module
 */
import { createRemoteManager, type GatewayState } from 'tk-core/remote';
import { createForm, createTrend, type FormItem, type FormSnapshot } from 'tk-core/ui';
import type uPlot from 'uplot';

/** The models of the form, in order: the example datapoints and the demo's writable points. */
export const DEMO_MODELS = [
  'cii.oldb:/root/example/double/sine',
  'cii.oldb:/root/example/double/cosine',
  'cii.oldb:/root/example/double/sinelimits',
  'cii.oldb:/root/example/double/cosinequality',
  'cii.oldb:/root/example/double/bigincrement',
  'cii.oldb:/root/example/boolean/switch',
  'cii.oldb:/root/example/string/timestamp',
  'cii.oldb:/root/example/string/note',
  'cii.oldb:/root/example/double/setpoint',
  'loc:/demo/position?type=float&units=mm&min=0&max=10&init=2.5&label=Position',
] as const;

const TREND_MODELS = ['cii.oldb:/root/example/double/sine', 'cii.oldb:/root/example/double/cosine'];

const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/`;
const manager = createRemoteManager(wsUrl, {
  reconnect: { initialDelay: 250, maxDelay: 4000 },
  heartbeat: { interval: 5000, timeout: 5000 },
  managerOptions: { gcTime: 5000 },
});

// ------------------------------------------------------------ connection badge

const badge = document.getElementById('connection')!;
function showState(s: GatewayState): void {
  badge.dataset.status = s.status;
  badge.textContent =
    s.status === 'connected'
      ? `live: ${s.url} as ${s.welcome?.user ?? '?'}`
      : s.status === 'disconnected'
        ? `disconnected: ${s.error?.message ?? ''} (retry ${s.attempt})`
        : s.status;
  badge.title = s.error?.message ?? '';
}
manager.gateway.state$.subscribe(showState);

// ------------------------------------------------------------ form

const form = createForm([...DEMO_MODELS], { manager });
const table = document.getElementById('form')!;
const rows = new Map<string, HTMLElement>();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = cls;
  e.textContent = text;
  return e;
}

function rowOf(item: FormItem): HTMLElement {
  let row = rows.get(item.id);
  if (row !== undefined) return row;
  row = el('div', 'row');
  row.dataset.model = item.model;
  const label = el('span', 'label');
  const read = el('span', 'read');
  const units = el('span', 'units');
  const write = el('span', 'write');
  const problem = el('div', 'problem');
  row.append(label, read, units, write, problem);
  rows.set(item.id, row);
  table.append(row);
  return row;
}

function renderItem(item: FormItem): void {
  const row = rowOf(item);
  const [label, read, units, write, problem] = row.children as unknown as HTMLElement[];
  label!.textContent = item.label;
  const d = item.display?.getSnapshot();
  read!.textContent = d?.text ?? '';
  read!.style.background = d?.background.css ?? 'transparent';
  read!.style.color = d?.foreground.css ?? 'inherit';
  read!.title = d?.tooltip ?? item.problem ?? '';
  row.dataset.quality = d?.quality ?? '';
  row.dataset.connection = d?.connection ?? '';
  units!.textContent = d?.units ?? '';
  const input = item.input;
  if (input === undefined) {
    write!.replaceChildren();
    row.dataset.pending = 'false';
    problem!.textContent = item.problem ?? d?.error ?? '';
    return;
  }
  let box = write!.querySelector('input');
  if (box === null) {
    box = document.createElement('input');
    box.className = 'edit';
    box.addEventListener('input', () => input.edit(box!.value));
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') void input.apply();
      if (e.key === 'Escape') input.reset();
    });
    write!.replaceChildren(box);
  }
  const s = input.getSnapshot();
  if (document.activeElement !== box || !s.editing) box.value = s.text;
  box.dataset.style = s.style;
  row.dataset.pending = String(s.pending);
  problem!.textContent = s.problem ?? d?.error ?? '';
}

const apply = document.getElementById('apply') as HTMLButtonElement;
const reset = document.getElementById('reset') as HTMLButtonElement;

/** What each row listens to: its item's controllers (they may come later, once writability is known). */
const watched = new Map<string, { display: unknown; input: unknown; stop: () => void }>();

function renderForm(snap: FormSnapshot): void {
  for (const item of snap.items) {
    const w = watched.get(item.id);
    if (w === undefined || w.display !== item.display || w.input !== item.input) {
      w?.stop();
      const redraw = () => {
        const now = form.getSnapshot().items.find((i) => i.id === item.id);
        if (now !== undefined) renderItem(now);
      };
      const stops = [item.display?.subscribe(redraw), item.input?.subscribe(redraw)];
      watched.set(item.id, {
        display: item.display,
        input: item.input,
        stop: () => {
          for (const stop of stops) stop?.();
        },
      });
    }
    renderItem(item);
  }
  apply.disabled = snap.pending === 0 || snap.applying;
  reset.disabled = snap.pending === 0;
  document.body.dataset.pending = String(snap.pending);
}

apply.addEventListener('click', () => {
  void form.apply();
});
reset.addEventListener('click', () => form.reset());
form.subscribe(() => renderForm(form.getSnapshot()));
renderForm(form.getSnapshot());

// ------------------------------------------------------------ trend

const trend = createTrend(TREND_MODELS, { manager, window: 30_000 });
const chartBox = document.getElementById('trend')!;
const width = () => Math.max(300, chartBox.clientWidth);

/**
 * The chart: uPlot (about 20 kB gzip) is imported when the page has started,
 * so the form is live without waiting for it; the trend gathers its points
 * from the start and the chart draws them all once it is here.
 */
function startChart(Plot: typeof uPlot): void {
  const plot = new Plot(
    {
      width: width(),
      height: 260,
      scales: { x: { time: true } },
      series: [{}, { label: 'sine', stroke: '#1f77b4' }, { label: 'cosine', stroke: '#d62728' }],
      axes: [{}, { label: 'V' }],
    },
    [[], [], []],
    chartBox,
  );
  let drawn = -1;
  const draw = (): void => {
    const snap = trend.getSnapshot();
    if (snap.points !== drawn) {
      drawn = snap.points;
      const series = trend.series(width());
      const data = Plot.join(
        TREND_MODELS.map((m) => {
          const s = series.find((x) => x.key === manager.getNames(m)?.fullName);
          const xs = s === undefined ? [] : Array.from(s.x, (t) => t / 1000);
          const ys = s === undefined ? [] : Array.from(s.y, (v) => (Number.isFinite(v) ? v : null));
          return [xs, ys] as [number[], (number | null)[]];
        }) as uPlot.AlignedData[],
      );
      plot.setData(data);
      chartBox.dataset.points = String(snap.points);
      chartBox.dataset.curves = String(series.filter((s) => s.count > 0).length);
    }
    requestAnimationFrame(draw);
  };
  requestAnimationFrame(draw);
  window.addEventListener('resize', () => plot.setSize({ width: width(), height: 260 }));
}
void import('uplot').then(
  (m) => startChart(m.default),
  (err: unknown) => {
    chartBox.textContent = `The chart library could not be loaded: ${(err as Error).message}`;
  },
);

/** For the browser test and the curious: the page's manager and controllers. */
(globalThis as Record<string, unknown>).tkDemo = { manager, form, trend };
