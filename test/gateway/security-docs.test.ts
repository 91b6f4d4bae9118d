import { readFileSync } from 'node:fs';
import { type AccessPolicy, compileAccess, createAuthenticator, type TokenTable } from 'tk-core/gateway';
import { describe, expect, it } from 'vitest';

const doc = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);

describe('docs/security.md', () => {
  it('shows a tokens file the gateway accepts', async () => {
    const auth = createAuthenticator(blocks[0] as TokenTable);
    expect(await auth.authenticate('a-long-random-token-for-panel-3', {} as never)).toMatchObject({
      user: 'panel-3',
      roles: ['viewer'],
    });
  });

  it('shows access rules that decide as the text says', () => {
    const decide = compileAccess(blocks[1] as AccessPolicy);
    expect(decide('cii.oldb:/root/example/secret/x', ['operator'])).toMatchObject({
      read: false,
      write: false,
      rule: 0,
    });
    expect(decide('cii.oldb:/root/example/double/sine', ['operator'])).toMatchObject({
      read: true,
      write: true,
      rule: 1,
    });
    expect(decide('cii.oldb:/root/example/double/sine', ['viewer'])).toMatchObject({
      read: true,
      write: false,
      rule: 2,
    });
    expect(decide('eval://localhost/@DefaultEvaluator/1+1', ['viewer'])).toMatchObject({
      read: false,
      rule: -1,
    });
    expect(decide('eval://localhost/@DefaultEvaluator/1+1', ['operator'])).toMatchObject({
      read: true,
      write: false,
    });
  });
});
