import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config.js';
import { TkError } from '../../src/errors/tk-error.js';
import { decodeClientMessage } from '../../src/protocol/decode-request.js';
import { decodeResult, decodeServerMessage } from '../../src/protocol/decode-server.js';
import { ProtocolError } from '../../src/protocol/errors.js';
import { configPatch, encodeConfig, readingJson } from '../../src/protocol/readings.js';
import { type ClientRequest, encodeClientMessage, type SubscribeItem } from '../../src/protocol/requests.js';
import {
  encodeConn,
  encodeErrorMessage,
  encodeMeta,
  encodePong,
  encodeResult,
  encodeValueMessage,
  encodeWelcome,
} from '../../src/protocol/server-messages.js';
import { splitSubscribeItems, utf8Length } from '../../src/protocol/subscribe-batches.js';
import type { AttributeConfig } from '../../src/schemes/contract.js';
import { Quantity } from '../../src/units/quantity.js';

const id = fc.oneof(fc.nat(), fc.string({ minLength: 1, maxLength: 128 }));
const sid = fc.nat();
const name = fc.string({ minLength: 1, maxLength: 200 });
const item: fc.Arbitrary<SubscribeItem> = fc.record(
  { sid, name, maxRate: fc.double({ min: 0.01, max: 1000, noNaN: true }) },
  { requiredKeys: ['sid', 'name'] },
);
const request: fc.Arbitrary<ClientRequest> = fc.oneof(
  fc.record({ type: fc.constant('subscribe' as const), id, items: fc.array(item, { maxLength: 5 }) }),
  fc.record({ type: fc.constant('unsubscribe' as const), id, sids: fc.array(sid, { maxLength: 5 }) }),
  fc.record(
    { type: fc.constant('read' as const), id, name, cache: fc.boolean() },
    { requiredKeys: ['type', 'id', 'name'] },
  ),
  fc.record({
    type: fc.constant('write' as const),
    id,
    name,
    value: fc.oneof(
      fc.double(),
      fc.string(),
      fc.boolean(),
      fc.double().map((x) => new Quantity(x, 'mm')),
    ),
  }),
  fc.record({ type: fc.constant('fragment' as const), id, uri: name }),
  fc.record(
    {
      type: fc.constant('names' as const),
      id,
      name,
      strict: fc.boolean(),
      types: fc.subarray(['Attribute', 'Device', 'Authority'] as const),
    },
    { requiredKeys: ['type', 'id', 'name'] },
  ),
  fc.record({ type: fc.constant('children' as const), id, name }),
  fc.record({ type: fc.constant('ping' as const), id }),
);

function protocolError(text: string): ProtocolError {
  try {
    decodeClientMessage(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ProtocolError);
    return e as ProtocolError;
  }
  throw new Error(`accepted: ${text}`);
}

describe('client requests', () => {
  test.prop([request], { numRuns: 1000 })('decode(encode(request)) is the request', (r) => {
    expect(decodeClientMessage(encodeClientMessage(r))).toEqual(r);
  });

  test.prop([fc.string({ maxLength: 200 })], { numRuns: 1000 })(
    'any text decodes or is a ProtocolError',
    (t) => {
      try {
        decodeClientMessage(t);
      } catch (e) {
        expect(e).toBeInstanceOf(ProtocolError);
      }
    },
  );

  test.prop([fc.jsonValue()], { numRuns: 1000 })('any JSON decodes or is a ProtocolError', (v) => {
    try {
      decodeClientMessage(JSON.stringify(v));
    } catch (e) {
      expect(e).toBeInstanceOf(ProtocolError);
    }
  });

  test.prop([request, fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })], { numRuns: 1000 })(
    'a request with one field changed decodes or is a ProtocolError carrying its id',
    (r, key, v) => {
      const o = JSON.parse(encodeClientMessage(r)) as Record<string, unknown>;
      const keys = Object.keys(o);
      const k = keys.includes(key) ? key : keys[key.length % keys.length]!;
      o[k] = v;
      try {
        decodeClientMessage(JSON.stringify(o));
      } catch (e) {
        expect(e).toBeInstanceOf(ProtocolError);
        if (k !== 'id') expect((e as ProtocolError).requestId).toBe(r.id);
      }
    },
  );

  it.each([
    ['not json', 'BAD_REQUEST', '', 'not JSON'],
    ['[1,2]', 'BAD_REQUEST', 'message', 'JSON object'],
    ['{"type":"launch","id":1}', 'UNKNOWN_TYPE', 'type', 'one of subscribe, unsubscribe, read, write'],
    ['{"type":"read"}', 'BAD_REQUEST', 'id', 'needs an id'],
    ['{"type":"read","id":-1,"name":"x"}', 'BAD_REQUEST', 'id', 'needs an id'],
    ['{"type":"read","id":1}', 'BAD_REQUEST', 'name', 'must be a name'],
    ['{"type":"read","id":1,"name":""}', 'BAD_REQUEST', 'name', 'must be a name'],
    ['{"type":"read","id":1,"name":"x","cache":"yes"}', 'BAD_REQUEST', 'cache', 'true or false'],
    ['{"type":"subscribe","id":1,"items":{}}', 'BAD_REQUEST', 'items', 'array of { sid, name, maxRate? }'],
    [
      '{"type":"subscribe","id":1,"items":[{"sid":1.5,"name":"x"}]}',
      'BAD_REQUEST',
      'items[0].sid',
      'safe integer',
    ],
    [
      '{"type":"subscribe","id":1,"items":[{"sid":1,"name":"x","maxRate":0}]}',
      'BAD_REQUEST',
      'items[0].maxRate',
      'positive',
    ],
    ['{"type":"unsubscribe","id":1,"sids":["a"]}', 'BAD_REQUEST', 'sids', 'subscription ids'],
    ['{"type":"write","id":1,"name":"x"}', 'BAD_REQUEST', 'value', 'value is missing'],
    ['{"type":"write","id":1,"name":"x","value":{"$":"q","m":"x"}}', 'BAD_REQUEST', 'value.m', '"NaN"'],
    [
      '{"type":"names","id":1,"name":"x","types":["Widget"]}',
      'BAD_REQUEST',
      'types',
      'Attribute, Device, Authority',
    ],
  ])('%s is %s at "%s"', (text, code, path, message) => {
    const e = protocolError(text);
    expect(e.code).toBe(code);
    expect(e.details.path).toBe(path);
    expect(e.message).toContain(message);
  });

  it('refuses names longer than the limit, naming it', () => {
    const e = (() => {
      try {
        decodeClientMessage(JSON.stringify({ type: 'read', id: 7, name: 'x'.repeat(11) }), {
          maxNameLength: 10,
        });
      } catch (err) {
        return err as ProtocolError;
      }
      throw new Error('accepted');
    })();
    expect(e.message).toContain('1 to 10 characters');
    expect(e.requestId).toBe(7);
  });
});

describe('gateway messages', () => {
  const config: AttributeConfig = {
    ...defaultConfig('sine'),
    writable: true,
    type: 'Float',
    dataFormat: 'scalar',
    units: 'mm',
    range: [-1, undefined],
    alarms: [undefined, undefined],
    extra: { source: 'oldb', $: 1 },
  };

  it('carries values, metadata, connection state and pongs', () => {
    const reading = {
      rvalue: new Quantity(1.5, 'mm'),
      wvalue: new Quantity(2, 'mm'),
      time: 1000.5,
      quality: 'VALID' as const,
    };
    expect(decodeServerMessage(encodeValueMessage(3, readingJson(reading)))).toStrictEqual({
      type: 'value',
      sid: 3,
      reading,
    });
    expect(decodeServerMessage(encodeConn(3, 'disconnected'))).toEqual({
      type: 'conn',
      sid: 3,
      state: 'disconnected',
    });
    const names = { fullName: 'loc:/a/b', normalName: 'loc:/a/b', simpleName: 'b' };
    const meta = decodeServerMessage(encodeMeta(3, encodeConfig(config), names));
    expect(meta).toEqual({ type: 'meta', sid: 3, names, config: { ...config, format: undefined } });
    expect(decodeServerMessage(encodePong('p1'))).toEqual({ type: 'pong', id: 'p1' });
  });

  it('sends an error reading as INVALID whatever quality it was given', () => {
    const text = encodeValueMessage(
      1,
      readingJson({ rvalue: null, time: 1, quality: 'VALID', error: new TkError('TIMEOUT', 'late') }),
    );
    const m = decodeServerMessage(text);
    expect(m.type === 'value' && m.reading.quality).toBe('INVALID');
    expect(m.type === 'value' && m.reading.error?.code).toBe('TIMEOUT');
  });

  it('sends only the changed metadata keys after the first meta message', () => {
    expect(configPatch(config, config)).toBeNull();
    expect(configPatch(config, { ...config, units: 'm', range: [-1, 5] })).toEqual({
      units: 'm',
      range: [-1, 5],
    });
    expect(configPatch(config, { ...config, range: [-1, undefined] })).toBeNull(); // equal, not identical
  });

  it('carries every result type', () => {
    const r = { rvalue: new Quantity([1, 2], 'V'), time: 5, quality: 'ALARM' as const };
    const names = { fullName: 'loc:/a/b', normalName: 'loc:/a/b', simpleName: 'b' };
    const cases = [
      ['subscribe', { refused: [{ sid: 2, error: new TkError('FORBIDDEN', 'no') }] }],
      ['unsubscribe', { removed: 3 }],
      ['read', { names, config: { ...config, format: undefined }, reading: r }],
      ['write', { reading: r }],
      ['write', { reading: null }],
      ['fragment', { value: [1, undefined] }],
      [
        'names',
        {
          valid: true,
          types: ['Attribute', 'Device'],
          names: { ...names, elementType: 'Attribute', scheme: 'loc' },
          error: null,
        },
      ],
      ['names', { valid: false, types: [], names: null, error: new TkError('INVALID_NAME', 'bad') }],
      ['children', { children: ['loc:/a/b', 'loc:/a/c'] }],
    ] as const;
    for (const [type, result] of cases) {
      const m = decodeServerMessage(encodeResult(type, 9, result as never));
      expect(m.type).toBe('result');
      const back = decodeResult(type, (m as { result: unknown }).result);
      expect(back).toEqual(result);
    }
  });

  it('carries errors with and without a request id, and the welcome', () => {
    const e = decodeServerMessage(encodeErrorMessage(null, new ProtocolError('not JSON')));
    expect(e).toMatchObject({ type: 'error', id: null });
    expect(e.type === 'error' && e.error.code).toBe('BAD_REQUEST');
    const w = {
      protocol: 1,
      server: 'tk-core 0.1.0',
      session: 's1',
      user: 'alice',
      roles: ['operator'],
      schemes: ['eval', 'loc'],
      defaultScheme: 'eval',
      heartbeatMs: 30000,
      limits: { maxPayload: 1, maxSubscriptions: 2, requestsPerSecond: 3, requestBurst: 4, maxNameLength: 5 },
    };
    expect(decodeServerMessage(encodeWelcome(w))).toEqual({ type: 'welcome', ...w });
  });

  test.prop([fc.jsonValue()], { numRuns: 1000 })(
    'any JSON from a gateway decodes or is a ProtocolError',
    (v) => {
      try {
        decodeServerMessage(JSON.stringify(v));
      } catch (e) {
        expect(e).toBeInstanceOf(ProtocolError);
      }
    },
  );
});

describe('subscribe batches', () => {
  test.prop([fc.array(item, { maxLength: 300 }), fc.integer({ min: 200, max: 4000 })], { numRuns: 300 })(
    'every batch fits in maxPayload once encoded, and no item is lost or reordered',
    (items, maxPayload) => {
      const { batches, tooLarge } = splitSubscribeItems(items, maxPayload);
      for (const b of batches) {
        expect(b.length).toBeGreaterThan(0);
        const text = encodeClientMessage({ type: 'subscribe', id: '12345678901234567890', items: b });
        expect(utf8Length(text)).toBeLessThanOrEqual(maxPayload);
      }
      const sent = batches.flat();
      expect([...sent, ...tooLarge].length).toBe(items.length);
      expect(sent).toEqual(items.filter((i) => !tooLarge.includes(i)));
    },
  );

  it('splits 20,000 subscriptions (pvws failed above 8 KiB) into requests under 64 KiB', () => {
    const items = Array.from({ length: 20_000 }, (_, i) => ({
      sid: i,
      name: `cii.oldb:/root/example/point${i}`,
    }));
    const { batches } = splitSubscribeItems(items, 64 * 1024);
    expect(batches.length).toBeGreaterThan(10);
    expect(batches.flat().length).toBe(20_000);
  });

  test.prop([fc.string({ unit: 'binary', maxLength: 50 })])('utf8Length is the UTF-8 byte count', (s) => {
    expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'));
  });
});

describe('gateway frames', () => {
  it('hold one message or an array of messages, decoded in order', async () => {
    const { decodeServerFrame, encodeFrame } = await import('../../src/protocol/index.js');
    const a = encodeConn(1, 'connected');
    const b = encodePong(2);
    expect(encodeFrame([a])).toBe(a);
    expect(decodeServerFrame(encodeFrame([a]))).toEqual([{ type: 'conn', sid: 1, state: 'connected' }]);
    expect(decodeServerFrame(encodeFrame([a, b]))).toEqual([
      { type: 'conn', sid: 1, state: 'connected' },
      { type: 'pong', id: 2 },
    ]);
    expect(() => decodeServerFrame('[{"type":"conn","sid":1,"state":"connected"},{"type":"x"}]')).toThrow(
      /Unknown message type "x"/,
    );
  });
});
