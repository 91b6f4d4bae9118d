/**
 * Writes to a dead point never freeze a page (weiss#194): behind a live
 * gateway, a point whose backend never answers fails with the gateway's
 * TIMEOUT; a gateway that stops answering altogether (a real WebSocket
 * server that welcomes and then goes silent) is noticed by the heartbeat and
 * shown disconnected, and a write to it fails with the client's TIMEOUT.
 * No test reads the time: where a limit should answer, the other limits that
 * could also end the wait are set to an hour, so an answer within the test's
 * time is the configured limit's (and its message names that limit).
 */
import type { AddressInfo } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { createManager, Quality, type TkError } from 'tk-core';
import { createGateway } from 'tk-core/gateway';
import { connectGateway, createRemoteManager } from 'tk-core/remote';
import { waitForReading } from 'tk-core/testing';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { DEFAULT_LIMITS, encodeWelcome, SUBPROTOCOL } from '../../src/protocol/index.js';
import { createDeadScheme } from '../gateway/support/dead-scheme.js';

/** A time limit that never ends within a test (setTimeout takes at most 2^31-1 ms). */
const HOUR = 3_600_000;

describe('tk-core/remote: dead points and hung gateways', () => {
  it("a write to a point whose backend never answers fails with the gateway's TIMEOUT", async () => {
    const dead = createDeadScheme();
    const server = createManager({ gcTime: 0, schemes: [dead] });
    const gw = await createGateway({
      manager: server,
      access: { rules: [{ match: '**', roles: ['*'], read: true, write: true }] },
      limits: { writeTimeoutMs: 200, readTimeoutMs: 200 },
    });
    const m = await connectGateway(gw.url, {
      schemes: [{ scheme: 'dead', validators: dead.validators as never }],
      // the client's own limits can never answer within the test: a TIMEOUT is the gateway's
      requestTimeout: HOUR,
      writeTimeout: HOUR,
      managerOptions: { gcTime: 0 },
    });
    try {
      const err = await m
        .attribute('dead:/x')
        .write(1)
        .catch((e: TkError) => e);
      expect((err as TkError).code).toBe('TIMEOUT');
      expect((err as TkError).message).toContain('dead:/x');
      expect((err as TkError).message).toMatch(/within 200 ms \(the gateway's time limit\)/);
      expect(m.gateway.state.status).toBe('connected'); // the link itself is fine
    } finally {
      await m.dispose();
      await gw.close();
      await server.dispose();
    }
  });

  it('a gateway that goes silent is noticed by the heartbeat; a write to it fails with TIMEOUT within the limit', async () => {
    // a real WebSocket server that speaks the handshake and the welcome, then never answers again
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => SUBPROTOCOL });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    wss.on('connection', (ws) => {
      ws.send(
        encodeWelcome({
          protocol: 1,
          server: 'silent',
          session: 's1',
          user: 'anonymous',
          roles: [],
          schemes: ['loc'],
          defaultScheme: null,
          heartbeatMs: 30_000,
          limits: DEFAULT_LIMITS,
        }),
      );
    });
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
    const m = createRemoteManager(url, {
      writeTimeout: 150,
      requestTimeout: HOUR, // the read before the write can only be ended by the heartbeat
      heartbeat: { interval: 50, timeout: 100 },
      reconnect: { initialDelay: 5_000 },
      managerOptions: { gcTime: 0 },
    });
    try {
      await firstValueFrom(m.gateway.state$.pipe(filter((s) => s.status === 'connected')));
      const a = m.attribute('loc:/hung/x?init=1');
      const err = (await a.write(2).catch((e: TkError) => e)) as TkError;
      // the core reads first (the type is not known yet): that read fails when the heartbeat judges
      // the link dead, or the write times out; either way by a configured limit, which the message names
      if (err.code === 'TIMEOUT') expect(err.message).toMatch(/did not answer within 150 ms/);
      else {
        expect(err.code).toBe('BACKEND_UNAVAILABLE');
        expect(err.message).toMatch(/no answer to a heartbeat within 100 ms/);
      }
      const s = a.subscribe(() => {});
      const lost = await firstValueFrom(m.gateway.state$.pipe(filter((x) => x.status === 'disconnected')));
      expect(lost.error?.message).toMatch(/heartbeat|not answering/);
      const r = await waitForReading(a, (x) => x.error !== undefined);
      expect(r.quality).toBe(Quality.INVALID);
      s.unsubscribe();
    } finally {
      await m.dispose();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    }
  });

  it('a write in flight when the link drops fails saying it may or may not have been done, and is not retried', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => SUBPROTOCOL });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    let writes = 0;
    wss.on('connection', (ws) => {
      ws.send(
        encodeWelcome({
          protocol: 1,
          server: 'drops',
          session: 's2',
          user: 'anonymous',
          roles: [],
          schemes: ['loc'],
          defaultScheme: null,
          heartbeatMs: 30_000,
          limits: DEFAULT_LIMITS,
        }),
      );
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as { type: string; id: number };
        if (m.type === 'read')
          ws.send(
            JSON.stringify({
              type: 'result',
              id: m.id,
              result: {
                names: { fullName: 'loc://local/d/x?init=1', normalName: '/d/x?init=1', simpleName: 'x' },
                config: { type: 'Float', writable: true, units: '' },
                reading: { rvalue: 1, time: 1, quality: 'VALID' },
              },
            }),
          );
        if (m.type === 'write') {
          writes++;
          ws.terminate(); // the link drops before any answer
        }
      });
    });
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
    const m = createRemoteManager(url, { reconnect: { initialDelay: 20 }, managerOptions: { gcTime: 0 } });
    try {
      await firstValueFrom(m.gateway.state$.pipe(filter((s) => s.status === 'connected')));
      const err = await m
        .attribute('loc:/d/x?init=1')
        .write(2)
        .catch((e: TkError) => e);
      expect((err as TkError).code).toBe('BACKEND_UNAVAILABLE');
      expect((err as TkError).message).toMatch(/may or may not have been done/);
      await firstValueFrom(m.gateway.state$.pipe(filter((s) => s.status === 'connected')));
      expect(writes).toBe(1); // never sent again after the reconnection
    } finally {
      await m.dispose();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    }
  });
});
