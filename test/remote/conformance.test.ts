/**
 * The proof that remote attributes are the same attributes: the scheme
 * conformance suite of tk-core/testing, run on managers from
 * `connectGateway`, for `loc`, `eval` and `cii.oldb` (the embedded store)
 * served by a gateway in this process. Each test gets its own server
 * manager, gateway and client.
 */
import { createManager, type Manager, Quality, Quantity, type Reading } from 'tk-core';
import { createGateway, type Gateway } from 'tk-core/gateway';
import { connectGateway } from 'tk-core/remote';
import { type ConformanceSetup, schemeConformance } from 'tk-core/testing';
import { describe, expect, it } from 'vitest';
import { createEmbeddedStore, type OldbStore } from '../../src/oldb-store/index.js';
import { createEvalScheme } from '../../src/schemes/eval/index.js';
import { createSeededRandom } from '../../src/schemes/eval/sandbox/index.js';
import { createLocScheme } from '../../src/schemes/loc/index.js';
import { createOldbScheme } from '../../src/schemes/oldb/index.js';

const OPEN = { rules: [{ match: '**', roles: ['*'], read: true, write: true }] };

/** A writable evaluator: `eval:@motor/position` reads and writes its position. */
class Motor {
  #mm = 1.5;
  get position(): Quantity {
    return Quantity.of(this.#mm, 'mm');
  }
  set position(v: unknown) {
    this.#mm = Quantity.isQuantity(v) ? (v.to('mm').magnitude as number) : Number(v);
  }
}

interface Run {
  server: Manager;
  gateway: Gateway;
  store?: OldbStore;
}
const runs = new Map<Manager, Run>();

function remoteSetup(
  scheme: string,
  makeServer: () => Promise<{ server: Manager; store?: OldbStore }>,
  rest: Omit<ConformanceSetup, 'scheme' | 'createManager' | 'cleanup'>,
): ConformanceSetup {
  return {
    scheme,
    async createManager() {
      const { server, store } = await makeServer();
      const gateway = await createGateway({ manager: server, access: OPEN });
      const m = await connectGateway(gateway.url, { managerOptions: { gcTime: 0 } });
      runs.set(m, { server, gateway, ...(store === undefined ? {} : { store }) });
      return m;
    },
    async cleanup(m) {
      const run = runs.get(m)!;
      runs.delete(m);
      await m.dispose();
      await run.gateway.close();
      await run.server.dispose();
      await run.store?.close();
    },
    ...rest,
  };
}

describe('remote loc', () => {
  schemeConformance(
    { describe, it, expect },
    remoteSetup(
      'loc',
      async () => ({ server: createManager({ builtins: false, schemes: [createLocScheme()], gcTime: 0 }) }),
      {
        attributes: [
          'loc:/conf/a?init=1',
          'loc:/conf/s?type=string&init=hello',
          'loc://ns/conf/arr?type=float[]&init=[1,2]',
        ],
        equivalent: [['loc:/conf/a?init=1', 'loc://local/conf/a?init=1.0', 'loc:/conf/a?init=1#label']],
        invalid: ['loc:/x', 'loc:/a/b?bogus=1', 'loc:/a b/c'],
        write: {
          name: 'loc:/conf/w?units=m',
          value: '12 mm',
          check: (r) => Math.abs(Number(Number(r.rvalue)) - 0.012) < 1e-12,
        },
      },
    ),
  );
});

describe('remote eval', () => {
  schemeConformance(
    { describe, it, expect },
    remoteSetup(
      'eval',
      async () => ({
        server: createManager({
          builtins: false,
          schemes: [
            createLocScheme(),
            createEvalScheme({ random: createSeededRandom(7), evaluators: { motor: Motor } }),
          ],
          gcTime: 0,
        }),
      }),
      {
        attributes: [
          'eval:1',
          'eval:Q("12.5m")',
          'eval:rand(3)',
          'eval:{eval:1}*2',
          'eval:{loc:/conf/x?init=2}*3',
        ],
        equivalent: [
          ['eval:1', 'eval:1#label', 'eval://localhost/@DefaultEvaluator/1', 'eval:@DefaultEvaluator/1'],
          ['eval:{eval:1}*2', 'eval:{eval:1#label}*2', 'eval:{eval://localhost/@DefaultEvaluator/1}*2'],
        ],
        invalid: ['eval:1?x', 'eval:{eval:@foo}', 'eval:1;2', 'eval:}{', 'eval:@foo'],
        failing: 'eval:1/0',
        write: {
          name: 'eval:@motor/position',
          value: Quantity.of(2, 'cm'),
          check: (r: Reading) =>
            Quantity.isQuantity(r.rvalue) && r.rvalue.units === 'mm' && r.rvalue.magnitude === 20,
        },
      },
    ),
  );
});

describe('remote cii.oldb (embedded store behind the gateway)', () => {
  schemeConformance(
    { describe, it, expect },
    remoteSetup(
      'cii.oldb',
      async () => {
        const store = createEmbeddedStore();
        await store.declare('/root/conf/pos', {
          type: 'double',
          value: 12.5,
          metadata: { units: 'mm', label: 'Position', range: [-1000, 1000] },
        });
        await store.declare('/root/conf/name', { type: 'string', value: 'hello' });
        await store.declare('/root/conf/flag', { type: 'boolean', value: true });
        await store.declare('/root/conf/trace', {
          type: 'double[]',
          value: [1, 2, 3],
          metadata: { units: 'V' },
        });
        await store.declare('/root/x/y', { type: 'double', value: 1 });
        const server = createManager({ builtins: false, gcTime: 0, schemes: [createOldbScheme({ store })] });
        return { server, store };
      },
      {
        attributes: [
          'cii.oldb:/root/conf/pos',
          'cii.oldb:/root/conf/name',
          'cii.oldb:/root/conf/flag',
          'cii.oldb:/root/conf/trace',
        ],
        equivalent: [['cii.oldb:/root/x/y', 'cii.oldb:/root/x/y#label', 'cii.oldb:///root/x/y']],
        invalid: ['cii.oldb:/root', 'cii.oldb:/root//y', 'cii.oldb:/root/x/y?units=mm'],
        failing: 'cii.oldb:/root/conf/undeclared',
        write: {
          name: 'cii.oldb:/root/conf/pos',
          value: Quantity.of(0.25, 'm'),
          check: (r: Reading) =>
            Quantity.isQuantity(r.rvalue) &&
            r.rvalue.units === 'mm' &&
            Math.abs((r.rvalue.magnitude as number) - 250) < 1e-9 &&
            r.quality === Quality.VALID,
        },
      },
    ),
  );
});
