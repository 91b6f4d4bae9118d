// The clients of bench/gateway-fanout.bench.mjs (not a benchmark itself): CLIENTS WebSocket clients, each
// subscribed to COUNT attributes, recording the latency from the OLDB write (the reading's time) to the
// moment the client has the value. MODE=gateway: tk-core/remote clients (a value$ subscription per
// attribute) when the build has it, else clients of the gateway protocol over ws; MODE=raw: plain ws
// clients of the baseline. STALL=1 adds one gateway client that subscribes and then stops reading.
// 'report' answers with the counts and latencies since the last 'reset'.
import WebSocket from 'ws';

const { URL: url, MODE, COUNT, ROOT, CLIENTS, STALL } = process.env;
const count = Number(COUNT);
const clients = Number(CLIENTS);
const pathOf = (i) => `${ROOT}/g${Math.floor(i / 100)}/p${i % 100}`;
const now = () => performance.timeOrigin + performance.now();
let received = 0;
let lags = [];
let counting = false;
const record = (time) => {
  if (!counting) return;
  received++;
  lags.push(now() - time);
};

let remote;
if (MODE === 'gateway' && process.env.PROTOCOL_CLIENT !== '1') {
  try {
    remote = await import('../dist/remote/index.js');
  } catch {
    remote = undefined;
  }
}
const kind =
  MODE === 'raw'
    ? 'ws (JSON.parse)'
    : remote
      ? 'tk-core/remote (value$)'
      : 'gateway protocol over ws (JSON.parse)';

const sockets = [];
const managers = [];
const items = Array.from({ length: count }, (_, i) => ({ sid: i, name: `cii.oldb:${pathOf(i)}` }));

function openProtocolClient(onValue) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, MODE === 'raw' ? [] : ['tk-gateway.v1']);
    ws.on('error', reject);
    ws.on('message', (data) => {
      const v = JSON.parse(data.toString());
      for (const m of Array.isArray(v) ? v : [v]) {
        if (m.type === 'welcome') {
          if (MODE !== 'raw') ws.send(JSON.stringify({ type: 'subscribe', id: 1, items }));
        } else if (m.type === 'value') onValue(m.reading.time);
      }
    });
    ws.on('open', () => resolve(ws));
  });
}

for (let c = 0; c < clients; c++) {
  if (remote) {
    const m = await remote.connectGateway(url);
    managers.push(m);
    for (const it of items) m.attribute(it.name).value$.subscribe((r) => record(r.time));
  } else {
    sockets.push(await openProtocolClient(record));
  }
}
if (STALL === '1') {
  // STALL_SIDS subscriptions per attribute, so that its socket backs up within seconds
  const sids = Number(process.env.STALL_SIDS ?? 10);
  const many = Array.from({ length: count * sids }, (_, k) => ({ sid: k, name: items[k % count].name }));
  const ws = await new Promise((resolve, reject) => {
    const w = new WebSocket(url, ['tk-gateway.v1']);
    w.on('error', reject);
    w.on('message', (data) => {
      const v = JSON.parse(data.toString());
      for (const m of Array.isArray(v) ? v : [v])
        if (m.type === 'welcome') w.send(JSON.stringify({ type: 'subscribe', id: 1, items: many }));
    });
    w.on('open', () => resolve(w));
  });
  // stop reading once subscribed: the gateway must not keep its updates without bound
  setTimeout(() => ws._socket.pause(), 500);
  sockets.push(ws);
}
process.send({ ready: true, kind });

process.on('message', async (m) => {
  if (m === 'reset') {
    received = 0;
    lags = [];
    counting = true;
  } else if (m === 'report') {
    counting = false;
    const cpu = process.cpuUsage();
    const sorted = Float64Array.from(lags).sort();
    process.send({ received, lags: Array.from(sorted), cpu: cpu.user + cpu.system });
  } else if (m === 'stop') {
    for (const ws of sockets) ws.terminate();
    for (const mg of managers) await mg.dispose?.();
    process.exit(0);
  }
});
