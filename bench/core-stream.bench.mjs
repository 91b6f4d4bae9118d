// The reading path of the core: a backend push reaching a subscriber through an
// attribute (value$ and the callback API), against a raw RxJS Subject and a plain
// callback list, measured in the same run.
import { Subject } from 'rxjs';
import { createManager } from '../dist/index.js';
import { rate, report } from './lib.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 1);

// A minimal push scheme whose backend hands its sink to the benchmark: the cost measured is the core's.
let sinkOf;
const pushScheme = {
  scheme: 'bench',
  validators: await (async () => {
    const { AttributeNameValidator, AuthorityNameValidator, DeviceNameValidator } = await import(
      '../dist/index.js'
    );
    class A extends AttributeNameValidator {
      scheme = 'bench';
      path = '(?<devname>/d)/(?<attrname>[a-z0-9]+)';
      getNames(n) {
        const g = this.getUriGroups(n);
        return g
          ? {
              fullName: `bench:/d/${g.attrname}`,
              normalName: `/d/${g.attrname}`,
              simpleName: g.attrname,
              fragment: g.fragment,
            }
          : null;
      }
    }
    class D extends DeviceNameValidator {
      scheme = 'bench';
      path = '(?<devname>/d)';
      getNames() {
        return { fullName: 'bench:/d', normalName: '/d', simpleName: 'd' };
      }
    }
    class Au extends AuthorityNameValidator {
      scheme = 'bench';
    }
    return { attribute: new A(), device: new D(), authority: new Au() };
  })(),
  createBackend() {
    return {
      openAttribute(_t, sink) {
        sinkOf = sink;
        return { mode: 'push', read: async () => ({ rvalue: 0 }), start() {}, stop() {}, close() {} };
      },
    };
  },
};

const m = createManager({ builtins: false, schemes: [pushScheme], gcTime: 60_000 });
const a = m.attribute('bench:/d/x');
let received = 0;
const sub = a.value$.subscribe(() => received++);
const push = sinkOf;
let t = 0;
const viaValue$ = rate((i) => push.reading({ rvalue: i, time: ++t }), seconds);
sub.unsubscribe();
const sub2 = a.subscribe(() => received++);
const viaCallback = rate((i) => push.reading({ rvalue: i, time: ++t }), seconds);
sub2.unsubscribe();

const subject = new Subject();
const s3 = subject.subscribe(() => received++);
const rawSubject = rate((i) => subject.next({ rvalue: i, time: ++t, quality: 'VALID' }), seconds);
s3.unsubscribe();

// the same through a loc point: a write converted, stored and notified
const m2 = createManager({ gcTime: 60_000 });
const loc = m2.attribute('loc:/bench/x?units=mm');
const s4 = loc.subscribe(() => received++);
let n = 0;
const t0 = performance.now();
while (performance.now() - t0 < seconds * 1000) {
  for (let k = 0; k < 256; k++) await loc.write(n++);
}
const locWrites = (n * 1000) / (performance.now() - t0);
s4.unsubscribe();

report('reading path: backend push -> subscriber', [
  { name: 'raw RxJS Subject.next (baseline)', ops: rawSubject },
  {
    name: 'attribute value$ (push -> Reading -> subscriber)',
    ops: viaValue$,
    baseline: rawSubject,
    baselineName: 'Subject',
  },
  { name: 'attribute subscribe() callback', ops: viaCallback, baseline: rawSubject, baselineName: 'Subject' },
  {
    name: 'loc write (convert, store, notify, await)',
    ops: locWrites,
    baseline: rawSubject,
    baselineName: 'Subject',
  },
]);
if (received === 0) throw new Error('nothing was received');
await m.dispose();
await m2.dispose();
