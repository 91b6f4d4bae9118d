/**
 * tk-core/remote against a real gateway in this process: remote attributes
 * are ordinary attributes (same names, readings, units, events, fragments,
 * writes and refusals), an outage shows every live attribute disconnected
 * and INVALID, writes while down fail at once, and a gateway back on the same
 * port gets every subscription again with fresh values (never the stale ones).
 */

import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import {
  type Clock,
  ConnectionState,
  createManager,
  type Manager,
  Quality,
  Quantity,
  type Reading,
  systemClock,
  TkError,
} from 'tk-core';
import { createGateway, type Gateway } from 'tk-core/gateway';
import { connectGateway, createRemoteManager, type GatewayState, type RemoteManager } from 'tk-core/remote';
import { expectNoLeaks, waitForReading } from 'tk-core/testing';
import { createDisplay, createForm } from 'tk-core/ui';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const X = 'loc:/rc/stage/x?type=float&init=1&units=mm&min=0&max=100';
const ACCESS = {
  rules: [
    { match: 'loc://local/rc/secret/**', roles: ['*'], read: false },
    { match: 'loc:**', roles: ['*'], read: true, write: true },
    { match: '**', roles: ['*'], read: true },
  ],
};
const FAST = { initialDelay: 10, maxDelay: 100, factor: 2, jitter: 0.5 };

let server: Manager;
let gw: Gateway;
let remote: RemoteManager | undefined;

beforeEach(async () => {
  server = createManager({ gcTime: 0 });
  gw = await createGateway({ manager: server, access: ACCESS });
});

afterEach(async () => {
  await remote?.dispose();
  remote = undefined;
  await gw.close();
  expectNoLeaks(server);
  await server.dispose();
});

/** A write's time limit that never ends within a test. */
const WRITE_TIMEOUT = 3_600_000;
/** The delay of every timer the remote client armed, in order. */
let timers: number[] = [];
/** The system clock, noting each timer's delay in `timers`. */
const notingClock: Clock = {
  now: () => systemClock.now(),
  setTimeout(fn, ms) {
    timers.push(ms);
    return systemClock.setTimeout(fn, ms);
  },
};

const connect = async () => {
  timers = [];
  remote = await connectGateway(gw.url, {
    reconnect: FAST,
    writeTimeout: WRITE_TIMEOUT,
    clock: notingClock,
    managerOptions: { gcTime: 0 },
  });
  return remote;
};

const until = (m: RemoteManager, status: GatewayState['status']) =>
  firstValueFrom(m.gateway.state$.pipe(filter((s) => s.status === status)));

describe('tk-core/remote: the same attributes', () => {
  it('gives the same names, readings, units, config and fragments as the gateway manager', async () => {
    const m = await connect();
    expect(m.gateway.state.welcome?.user).toBe('anonymous');
    const a = m.attribute(X);
    const local = server.attribute(X);
    expect(a.fullName).toBe(local.fullName);
    const seen: Reading[] = [];
    const sub = a.value$.subscribe((r) => seen.push(r));
    const r = await waitForReading(a, (x) => x.quality === Quality.VALID, 5000, seen);
    expect(Quantity.isQuantity(r.rvalue)).toBe(true);
    expect(String(r.rvalue)).toBe('1 mm');
    expect(a.config.units).toBe('mm');
    expect(a.config.range).toEqual([0, 100]);
    expect(a.connectionState).toBe(ConnectionState.Connected);
    expect(await m.getFragment(`${X}#rvalue.units`)).toBe('mm');
    expect(await m.getFragment(`${X}#label`)).toBe(local.config.label);
    // a change on the server reaches the page
    await local.write(7);
    const r7 = await waitForReading(a, (x) => String(x.rvalue) === '7 mm', 5000, seen);
    expect(r7.quality).toBe(Quality.VALID);
    sub.unsubscribe();
  });

  it('writes through the gateway: acknowledged with the reading, refusals carry their reason', async () => {
    const m = await connect();
    const a = m.attribute(X);
    const r = await a.write('2.5 cm');
    expect(String(r?.rvalue)).toBe('25 mm');
    expect(String((await server.attribute(X).read({ cache: false })).rvalue)).toBe('25 mm');
    const range = await a.write(500).catch((e: TkError) => e);
    expect(range).toBeInstanceOf(TkError);
    expect((range as TkError).code).toBe('OUT_OF_RANGE');
    expect((range as TkError).message).toMatch(/100/);
    // eval is readable but not writable by these rules: the gateway says who refused and why
    const e = m.attribute('eval:1+1');
    const forbidden = await e.write(3).catch((err: TkError) => err);
    expect(forbidden).toBeInstanceOf(TkError);
    expect(['FORBIDDEN', 'NOT_WRITABLE']).toContain((forbidden as TkError).code);
  });

  it('tk-core/ui controllers take the remote manager unchanged', async () => {
    const m = await connect();
    const d = createDisplay(X, { manager: m });
    const form = createForm([X], { manager: m });
    await waitForReading(m.attribute(X), (r) => r.quality === Quality.VALID);
    await expect.poll(() => d.getSnapshot().text).toBe('1.0 mm');
    const item = form.getSnapshot().items[0]!;
    await expect.poll(() => form.getSnapshot().items[0]!.input !== undefined).toBe(true);
    const input = form.getSnapshot().items[0]!.input!;
    input.edit('3');
    expect(form.getSnapshot().pending).toBe(1);
    await form.apply();
    expect(String((await server.attribute(X).read({ cache: false })).rvalue)).toBe('3 mm');
    expect(item.model).toBe(X);
    d.dispose();
    form.dispose();
  });

  it('a refused subscription is an INVALID reading naming the reason, not a hang', async () => {
    const m = await connect();
    const a = m.attribute('loc:/rc/secret/x?init=1'); // the rules forbid reading it
    const r = await waitForReading(a, (x) => x.error !== undefined);
    expect(r.quality).toBe(Quality.INVALID);
    expect(r.error?.code).toBe('FORBIDDEN');
    expect(r.error?.message).toContain('loc://local/rc/secret/x');
  });
});

describe('tk-core/remote: outages', () => {
  it('shows disconnected and INVALID while the gateway is away, fails writes at once, and resubscribes when it is back', async () => {
    const m = await connect();
    const a = m.attribute(X);
    const conns: ConnectionState[] = [];
    const seen: Reading[] = [];
    const s1 = a.value$.subscribe((r) => seen.push(r));
    const s2 = a.connection$.subscribe((c) => conns.push(c));
    await waitForReading(a, (r) => r.quality === Quality.VALID, 5000, seen);
    const port = Number(new URL(gw.url).port);

    await gw.close();
    const down = await waitForReading(a, (r) => r.error !== undefined, 5000, seen);
    expect(down.quality).toBe(Quality.INVALID);
    expect(down.error?.code).toBe('BACKEND_UNAVAILABLE');
    expect(a.connectionState).toBe(ConnectionState.Disconnected);
    expect(['disconnected', 'connecting']).toContain(m.gateway.state.status);
    // every reading from the outage on is INVALID until the gateway is back
    // a write fails at once, not after a timeout: its time limit is an hour, and none is armed for it
    const armed = timers.length;
    const w = await a.write(5).catch((e: TkError) => e);
    expect((w as TkError).code).toBe('BACKEND_UNAVAILABLE');
    expect((w as TkError).message).toMatch(/not connected.*nothing was sent/);
    expect(timers.slice(armed)).not.toContain(WRITE_TIMEOUT);

    // the value changes while the page is away: it must see the new one, not the old one
    await server.attribute(X).write(42);
    const from = seen.length;
    gw = await createGateway({ manager: server, access: ACCESS, port });
    const back = await waitForReading(a, (r) => r.quality === Quality.VALID, 10_000, seen.slice(from));
    expect(String(back.rvalue)).toBe('42 mm');
    expect(
      seen
        .slice(seen.indexOf(down))
        .filter((r) => r.quality === Quality.VALID)
        .map(String),
    ).not.toContain('1 mm');
    for (const r of seen.slice(seen.indexOf(down), seen.indexOf(back)))
      expect(r.quality).toBe(Quality.INVALID);
    expect(conns).toContain(ConnectionState.Disconnected);
    expect(conns.at(-1)).toBe(ConnectionState.Connected);
    expect(m.gateway.state.status).toBe('connected');
    // and writes work again
    expect(String((await a.write(6))?.rvalue)).toBe('6 mm');
    s1.unsubscribe();
    s2.unsubscribe();
  });

  it('a page started while the gateway is away shows disconnected, then live', async () => {
    const port = Number(new URL(gw.url).port);
    await gw.close();
    remote = createRemoteManager(`ws://127.0.0.1:${port}/`, {
      reconnect: FAST,
      managerOptions: { gcTime: 0 },
    });
    const a = remote.attribute(X);
    const seen: Reading[] = [];
    const s = a.value$.subscribe((r) => seen.push(r));
    const down = await waitForReading(a, (r) => r.error !== undefined, 5000, seen);
    expect(down.error?.code).toBe('BACKEND_UNAVAILABLE');
    expect(remote.gateway.state.attempt).toBeGreaterThan(0);
    gw = await createGateway({ manager: server, access: ACCESS, port });
    await until(remote, 'connected');
    const live = await waitForReading(a, (r) => r.quality === Quality.VALID, 10_000, seen);
    expect(String(live.rvalue)).toBe('1 mm');
    s.unsubscribe();
  });

  it('connectGateway rejects with the URL and the cause when nothing answers, leaving nothing running', async () => {
    const port = Number(new URL(gw.url).port);
    await gw.close();
    const err = await connectGateway(`ws://127.0.0.1:${port}/`, { reconnect: FAST }).catch((e: TkError) => e);
    expect(err).toBeInstanceOf(TkError);
    expect((err as TkError).code).toBe('BACKEND_UNAVAILABLE');
    expect((err as TkError).message).toContain(`127.0.0.1:${port}`);
    gw = await createGateway({ manager: server, access: ACCESS });
  });

  it('refuses bad options naming them', () => {
    expect(() => createRemoteManager('http://x/')).toThrow(/ws:\/\/ or wss:\/\//);
    expect(() => createRemoteManager('ws://x/', { bogus: 1 } as never)).toThrow(/unknown option "bogus"/);
    expect(() => createRemoteManager('ws://x/', { reconnect: { jitter: 2 } })).toThrow(/jitter/);
    expect(() => createRemoteManager('ws://x/', { schemes: ['sim'] })).toThrow(/sim/);
  });
});
