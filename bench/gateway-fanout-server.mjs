// A server process for bench/gateway-fanout.bench.mjs (not a benchmark itself). MODE=gateway: tk-core's
// gateway on a manager reading the OLDB. MODE=raw: the baseline, the same manager subscriptions and the
// same JSON text, broadcast with plain `ws` (one JSON.stringify per update, one send per client).
// Reports its URL over IPC, then answers 'sample' with its CPU, memory and (gateway) figures.
import { WebSocketServer } from 'ws';
import { createGateway } from '../dist/gateway/index.js';
import { createManager, createOldbScheme } from '../dist/index.js';

const { URL: url, PREFIX: prefix, MODE, COUNT, ROOT } = process.env;
const count = Number(COUNT);
const pathOf = (i) => `${ROOT}/g${Math.floor(i / 100)}/p${i % 100}`;
const manager = createManager({
  builtins: false,
  gcTime: 0,
  schemes: [createOldbScheme()],
  schemeOptions: { 'cii.oldb': { url, prefix } },
});

let stats = () => ({});
let close;
if (MODE === 'gateway') {
  const gw = await createGateway({
    manager,
    auth: 'none',
    access: { rules: [{ match: '**', roles: ['*'], read: true }] },
    audit: () => {},
    limits: { maxConnections: 10_000 },
  });
  stats = () => gw.stats();
  close = () => gw.close();
  process.send({ url: gw.url });
} else {
  // the baseline: every client gets every update, as the same JSON text, by a plain broadcast
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((r) => wss.once('listening', r));
  const clients = new Set();
  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
  });
  const subs = [];
  for (let i = 0; i < count; i++) {
    const a = manager.attribute(`cii.oldb:${pathOf(i)}`);
    subs.push(
      a.value$.subscribe((r) => {
        const text = JSON.stringify({
          type: 'value',
          sid: i,
          reading: { rvalue: { $: 'q', m: r.rvalue.magnitude }, time: r.time, quality: r.quality },
        });
        for (const ws of clients) ws.send(text);
      }),
    );
  }
  close = async () => {
    for (const s of subs) s.unsubscribe();
    for (const ws of clients) ws.terminate();
    await new Promise((r) => wss.close(r));
  };
  process.send({ url: `ws://127.0.0.1:${wss.address().port}/` });
}

process.on('message', async (m) => {
  if (m === 'sample') {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    process.send({ cpu: cpu.user + cpu.system, rss: mem.rss, heapUsed: mem.heapUsed, stats: stats() });
  } else if (m === 'stop') {
    await close();
    await manager.dispose();
    process.send({ stopped: true }, () => process.exit(0));
  }
});
