/**
 * The gateway's counters, its `stats()` figures and the Prometheus text
 * exposition served at `/metrics`.
 *
 * @module
 */
import { LatencyHistogram, type LatencySummary } from '../diagnostics/histogram.js';

/** Cumulative counters of a gateway (plain fields: incremented on hot paths). */
export class GatewayCounters {
  /** Value updates written to clients. */
  updatesSent = 0;
  /** Value updates replaced by a newer one before they were sent (throttling, a slow client, one event-loop turn). */
  updatesCoalesced = 0;
  /** Messages written (replies, metadata, states, values). */
  messagesSent = 0;
  /** Frames written. */
  framesSent = 0;
  /** Bytes of JSON text written. */
  bytesSent = 0;
  /** Times a client's socket backed up past the high-water mark. */
  blockedEpisodes = 0;
  /** Connections accepted. */
  connectionsAccepted = 0;
  /** Requests received, by type. */
  readonly requests = new Map<string, number>();
  /** Requests (or subscribe items) refused, by error code. */
  readonly refused = new Map<string, number>();
  /** Upgrades refused, by HTTP status. */
  readonly upgradesRefused = new Map<number, number>();
  /** Connections closed by the gateway, by close code. */
  readonly closes = new Map<number, number>();
  /** Write latency (ms), for `stats()`. */
  readonly writeLatency = new LatencyHistogram();
  /** Write latency in Prometheus buckets (seconds): counts per upper bound. */
  readonly writeBuckets = new Array<number>(WRITE_BUCKETS_S.length).fill(0);
  /** Sum of write latencies, in seconds. */
  writeSecondsSum = 0;
  /** Writes answered, by result (`ok` or an error code). */
  readonly writes = new Map<string, number>();
  /** Updates sent in the last whole second (see {@link GatewayCounters.tick}). */
  updatesSentPerSecond = 0;
  /** Updates coalesced in the last whole second. */
  updatesCoalescedPerSecond = 0;
  #lastSent = 0;
  #lastCoalesced = 0;

  /** Closes one second of the per-second figures (called once a second). */
  tick(): void {
    this.updatesSentPerSecond = this.updatesSent - this.#lastSent;
    this.updatesCoalescedPerSecond = this.updatesCoalesced - this.#lastCoalesced;
    this.#lastSent = this.updatesSent;
    this.#lastCoalesced = this.updatesCoalesced;
  }

  /** Counts one refused request or item. */
  refuse(code: string): void {
    this.refused.set(code, (this.refused.get(code) ?? 0) + 1);
  }

  /** Counts one request. */
  request(type: string): void {
    this.requests.set(type, (this.requests.get(type) ?? 0) + 1);
  }

  /** Records one write. */
  write(ms: number, result: string): void {
    this.writeLatency.record(ms);
    const s = ms / 1000;
    this.writeSecondsSum += s;
    for (let i = 0; i < WRITE_BUCKETS_S.length; i++) if (s <= WRITE_BUCKETS_S[i]!) this.writeBuckets[i]!++;
    this.writes.set(result, (this.writes.get(result) ?? 0) + 1);
  }

  /** Counts a close of `code`. */
  close(code: number): void {
    this.closes.set(code, (this.closes.get(code) ?? 0) + 1);
  }

  /** Counts an upgrade refused with `status`. */
  upgradeRefused(status: number): void {
    this.upgradesRefused.set(status, (this.upgradesRefused.get(status) ?? 0) + 1);
  }
}

/** Upper bounds of the write-latency histogram's buckets, in seconds. */
export const WRITE_BUCKETS_S = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

/** What `gateway.stats()` returns. */
export interface GatewayStats {
  /** Open connections. */
  readonly clients: number;
  /** Live subscriptions, all clients together. */
  readonly subscriptions: number;
  /** Attributes with at least one subscription (each is subscribed once on the manager). */
  readonly attributes: number;
  /** Value updates written to clients since the start. */
  readonly updatesSent: number;
  /** Value updates replaced by a newer one before being sent, since the start. */
  readonly updatesCoalesced: number;
  /** Value updates written in the last whole second. */
  readonly updatesSentPerSecond: number;
  /** Value updates coalesced in the last whole second. */
  readonly updatesCoalescedPerSecond: number;
  /** Messages written since the start. */
  readonly messagesSent: number;
  /** Frames written since the start. */
  readonly framesSent: number;
  /** Bytes written since the start. */
  readonly bytesSent: number;
  /** Clients whose socket is backed up now (their updates are being coalesced). */
  readonly blockedClients: number;
  /** Bytes written to clients' sockets and not yet sent, all clients together. */
  readonly bufferedBytes: number;
  /** Subscriptions with an update waiting to be sent, all clients together (at most one update each). */
  readonly pendingSubscriptions: number;
  /** Replies waiting to be sent, all clients together. */
  readonly pendingReplies: number;
  /** Connections accepted since the start. */
  readonly connectionsAccepted: number;
  /** Requests received, by type. */
  readonly requests: Readonly<Record<string, number>>;
  /** Requests and subscribe items refused, by error code. */
  readonly refused: Readonly<Record<string, number>>;
  /** Upgrades refused, by HTTP status. */
  readonly upgradesRefused: Readonly<Record<string, number>>;
  /** Connections the gateway closed, by close code. */
  readonly closes: Readonly<Record<string, number>>;
  /** Writes answered, by result (`ok` or an error code). */
  readonly writes: Readonly<Record<string, number>>;
  /** Write latency, in ms. */
  readonly writeLatency: LatencySummary;
}

/** The gauges `stats()` and `/metrics` need from the gateway. */
export interface GatewayGauges {
  readonly clients: number;
  readonly subscriptions: number;
  readonly attributes: number;
  readonly blockedClients: number;
  readonly bufferedBytes: number;
  readonly pendingSubscriptions: number;
  readonly pendingReplies: number;
}

/** The figures of `stats()`. */
export function statsOf(c: GatewayCounters, g: GatewayGauges): GatewayStats {
  const obj = <K extends string | number>(m: Map<K, number>) =>
    Object.fromEntries([...m].map(([k, v]) => [String(k), v]));
  return {
    ...g,
    updatesSent: c.updatesSent,
    updatesCoalesced: c.updatesCoalesced,
    updatesSentPerSecond: c.updatesSentPerSecond,
    updatesCoalescedPerSecond: c.updatesCoalescedPerSecond,
    messagesSent: c.messagesSent,
    framesSent: c.framesSent,
    bytesSent: c.bytesSent,
    connectionsAccepted: c.connectionsAccepted,
    requests: obj(c.requests),
    refused: obj(c.refused),
    upgradesRefused: obj(c.upgradesRefused),
    closes: obj(c.closes),
    writes: obj(c.writes),
    writeLatency: c.writeLatency.summary(),
  };
}

/** The Prometheus text exposition (format 0.0.4) of a gateway's figures and of the process. */
export function prometheusText(c: GatewayCounters, g: GatewayGauges): string {
  const out: string[] = [];
  const metric = (name: string, type: string, help: string, samples: [labels: string, value: number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) out.push(`${name}${labels} ${formatNumber(value)}`);
  };
  const labelled = <K extends string | number>(m: Map<K, number>, label: string): [string, number][] =>
    [...m].map(([k, v]) => [`{${label}="${escapeLabel(String(k))}"}`, v]);
  metric('tk_gateway_clients', 'gauge', 'Open WebSocket connections.', [['', g.clients]]);
  metric('tk_gateway_subscriptions', 'gauge', 'Live subscriptions, all clients together.', [
    ['', g.subscriptions],
  ]);
  metric('tk_gateway_attributes', 'gauge', 'Attributes with at least one subscription.', [
    ['', g.attributes],
  ]);
  metric('tk_gateway_blocked_clients', 'gauge', 'Clients whose socket is backed up (updates coalesced).', [
    ['', g.blockedClients],
  ]);
  metric('tk_gateway_buffered_bytes', 'gauge', 'Bytes written to client sockets and not yet sent.', [
    ['', g.bufferedBytes],
  ]);
  metric('tk_gateway_pending_subscriptions', 'gauge', 'Subscriptions with an update waiting to be sent.', [
    ['', g.pendingSubscriptions],
  ]);
  metric('tk_gateway_updates_sent_total', 'counter', 'Value updates written to clients.', [
    ['', c.updatesSent],
  ]);
  metric(
    'tk_gateway_updates_coalesced_total',
    'counter',
    'Value updates replaced by a newer one before being sent.',
    [['', c.updatesCoalesced]],
  );
  metric('tk_gateway_messages_sent_total', 'counter', 'Messages written to clients.', [['', c.messagesSent]]);
  metric('tk_gateway_frames_sent_total', 'counter', 'WebSocket frames written to clients.', [
    ['', c.framesSent],
  ]);
  metric('tk_gateway_sent_bytes_total', 'counter', 'Bytes of JSON written to clients.', [['', c.bytesSent]]);
  metric('tk_gateway_connections_total', 'counter', 'Connections accepted.', [['', c.connectionsAccepted]]);
  metric('tk_gateway_requests_total', 'counter', 'Requests received, by type.', labelled(c.requests, 'type'));
  metric(
    'tk_gateway_refused_total',
    'counter',
    'Requests and subscribe items refused, by error code.',
    labelled(c.refused, 'code'),
  );
  metric(
    'tk_gateway_upgrades_refused_total',
    'counter',
    'WebSocket upgrades refused, by HTTP status.',
    labelled(c.upgradesRefused, 'status'),
  );
  metric(
    'tk_gateway_closes_total',
    'counter',
    'Connections closed by the gateway, by close code.',
    labelled(c.closes, 'code'),
  );
  metric('tk_gateway_writes_total', 'counter', 'Writes answered, by result.', labelled(c.writes, 'result'));
  out.push(
    '# HELP tk_gateway_write_duration_seconds Time from a write request to its reply.',
    '# TYPE tk_gateway_write_duration_seconds histogram',
  );
  WRITE_BUCKETS_S.forEach((le, i) => {
    out.push(`tk_gateway_write_duration_seconds_bucket{le="${le}"} ${c.writeBuckets[i]}`);
  });
  out.push(
    `tk_gateway_write_duration_seconds_bucket{le="+Inf"} ${c.writeLatency.count}`,
    `tk_gateway_write_duration_seconds_sum ${formatNumber(c.writeSecondsSum)}`,
    `tk_gateway_write_duration_seconds_count ${c.writeLatency.count}`,
  );
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  metric('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [['', mem.rss]]);
  metric('process_cpu_seconds_total', 'counter', 'User and system CPU time spent in seconds.', [
    ['', (cpu.user + cpu.system) / 1e6],
  ]);
  metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap used, in bytes.', [['', mem.heapUsed]]);
  return `${out.join('\n')}\n`;
}

function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
