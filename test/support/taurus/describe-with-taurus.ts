/**
 * A `describe` block that needs the real Taurus: the oracle is started before
 * its tests and closed after. Without Taurus the block is one skipped test
 * naming the reason, or, under `CI=true` or `TK_REQUIRE_TAURUS=1`, one
 * failing test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTaurusOracle, type TaurusOracle, taurusStatus } from './oracle.js';

/** Registers `body` under `title` with a running oracle (`oracle()` returns it inside tests and hooks). */
export function describeWithTaurus(
  title: string,
  body: (oracle: () => TaurusOracle) => void,
  startTimeout = 60_000,
): void {
  describe(title, () => {
    const status = taurusStatus();
    if (!status.available) {
      if (status.required) it('needs Taurus', () => expect.fail(status.reason));
      else it.skip(`skipped: ${status.reason}`, () => {});
      return;
    }
    let running: TaurusOracle | undefined;
    beforeAll(async () => {
      running = await startTaurusOracle();
    }, startTimeout);
    afterAll(async () => {
      await running?.close();
    });
    body(() => {
      if (running === undefined) throw new Error('the Taurus oracle has not started');
      return running;
    });
  });
}
