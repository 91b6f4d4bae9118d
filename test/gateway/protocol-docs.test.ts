import { readFileSync } from 'node:fs';
import { createManager } from 'tk-core';
import { describe, expect, it } from 'vitest';
import { decodeClientMessage } from '../../src/protocol/decode-request.js';
import { decodeResult, decodeServerFrame } from '../../src/protocol/decode-server.js';

const doc = readFileSync(new URL('../../docs/gateway.md', import.meta.url), 'utf8');

/** The lines of the doc's `json client` or `json gateway` blocks: one message each. */
function messages(side: 'client' | 'gateway'): string[] {
  return [...doc.matchAll(new RegExp('```json ' + side + '\\n([\\s\\S]*?)```', 'g'))].flatMap((m) =>
    m[1]!.split('\n').filter((l) => l.trim() !== ''),
  );
}

describe('docs/gateway.md', () => {
  it('shows client messages that the gateway accepts', () => {
    const lines = messages('client');
    expect(lines.length).toBeGreaterThanOrEqual(9);
    for (const l of lines) expect(() => decodeClientMessage(l), l).not.toThrow();
  });

  it('shows gateway messages that a client accepts, results included', () => {
    const lines = messages('gateway');
    expect(lines.length).toBeGreaterThanOrEqual(14);
    const requests = new Map(messages('client').map((l) => [JSON.parse(l).id, JSON.parse(l).type]));
    for (const l of lines) {
      for (const m of decodeServerFrame(l))
        if (m.type === 'result') expect(() => decodeResult(requests.get(m.id), m.result), l).not.toThrow();
    }
  });

  it('shows the names a manager really gives', async () => {
    const m = createManager();
    try {
      const line = messages('gateway').find((l) => l.includes('"id":7,'))!;
      const shown = JSON.parse(line).result.names;
      const real = m.getNames('eval:{eval:1}*2', { types: ['Attribute'] })!;
      expect(shown).toMatchObject({
        fullName: real.fullName,
        normalName: real.normalName,
        simpleName: real.simpleName,
      });
    } finally {
      await m.dispose();
    }
  });
});
