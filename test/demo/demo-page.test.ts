/**
 * The demo page of `tk serve --demo` in a real headless Chromium (Debian's
 * `chromium`, found with `which chromium`, driven by playwright-core): the
 * built CLI serves a Redis OLDB of the test's own redis-server, so
 * `tk oldb get` from another process sees what the page wrote. Checks that
 * values change, that typing makes a row pending and Apply writes it, that
 * refusals (a rule, a range) show their reason, and that stopping and
 * restarting the gateway shows the page disconnected and then live again.
 * Screenshots go to test-output/demo-page/ (docs/images/ keeps a copy).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoBuilt, ROOT, tk, tkUntil } from '../cli/tk-process.js';
import { RedisProcess } from '../support/redis.js';

/** Where the screenshots are written. */
export const SHOTS = join(ROOT, 'test-output/demo-page');

function findChromium(): string | undefined {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const CHROMIUM = findChromium();
if (CHROMIUM === undefined && process.env.CI === 'true')
  throw new Error(
    "the demo page test needs Debian's chromium (`apt-get install -y chromium`): `which chromium` found none",
  );

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

type Serve = Awaited<ReturnType<typeof tkUntil>>;

describe.skipIf(CHROMIUM === undefined)('the demo page in headless Chromium', () => {
  let redis: RedisProcess;
  let serve: Serve | undefined;
  let browser: Browser;
  let page: Page;
  let port = 0;
  const errors: string[] = [];

  const startServe = async () => {
    serve = await tkUntil(
      ['--redis', redis.url, 'serve', '--demo', '--port', String(port)],
      /demo page: (http:\/\/\S+)/,
      90_000,
    );
    const url = /demo page: (http:\/\/\S+)/.exec(serve.stdout)![1]!;
    port = Number(new URL(url).port);
    return url;
  };

  const row = (model: string) => page.locator(`.row[data-model="${model}"]`);
  const SINE = 'cii.oldb:/root/example/double/sine';
  const NOTE = 'cii.oldb:/root/example/string/note';
  const SETPOINT = 'cii.oldb:/root/example/double/setpoint';
  const POSITION = 'loc:/demo/position?type=float&units=mm&min=0&max=10&init=2.5&label=Position';
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureDemoBuilt();
    redis = await RedisProcess.start();
    const url = await startServe();
    browser = await chromium.launch({
      executablePath: CHROMIUM!,
      // playwright gives the browser a fresh user-data-dir of its own
      args: FLAGS.filter((f) => f !== '--headless'),
      headless: true,
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop('SIGINT');
    await redis?.stop();
  });

  it('shows the form and the trend, and the values change', async () => {
    await expect
      .poll(() => page.locator('#connection').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('connected');
    const sine = row(SINE).locator('.read');
    await expect.poll(() => sine.textContent(), { timeout: 30_000 }).toMatch(/^-?\d/);
    const first = await sine.textContent();
    await expect.poll(() => sine.textContent(), { timeout: 30_000 }).not.toBe(first);
    expect(await row(SINE).getAttribute('data-quality')).toBe('VALID');
    expect(await row(SINE).locator('.units').textContent()).toBe('V');
    // the trend draws both curves
    await expect
      .poll(() => page.locator('#trend').getAttribute('data-curves'), { timeout: 30_000 })
      .toBe('2');
    expect(Number(await page.locator('#trend').getAttribute('data-points'))).toBeGreaterThan(4);
    await shot('1-live');
    expect(errors).toEqual([]);
  }, 120_000);

  it('typing a value makes its row pending, and Apply writes it (seen by tk oldb get)', async () => {
    const box = row(NOTE).locator('input.edit');
    await expect.poll(() => box.count(), { timeout: 30_000 }).toBe(1);
    await box.fill('written from Chromium');
    await expect.poll(() => row(NOTE).getAttribute('data-pending')).toBe('true');
    expect(await box.getAttribute('data-style')).toBe('pending');
    expect(await page.locator('#apply').isDisabled()).toBe(false);
    await shot('2-pending');
    await page.locator('#apply').click();
    await expect.poll(() => row(NOTE).getAttribute('data-pending'), { timeout: 30_000 }).toBe('false');
    await expect.poll(() => row(NOTE).locator('.read').textContent()).toBe('written from Chromium');
    const got = await tk(['--redis', redis.url, 'oldb', 'get', '/root/example/string/note'], {
      timeoutMs: 60_000,
    });
    expect(got.code).toBe(0);
    expect(got.stdout).toContain('written from Chromium');
  }, 120_000);

  it('a write refused by a rule, or out of range, shows its reason', async () => {
    const sp = row(SETPOINT).locator('input.edit');
    await expect.poll(() => sp.count(), { timeout: 30_000 }).toBe(1);
    await sp.fill('5');
    await sp.press('Enter');
    await expect
      .poll(() => row(SETPOINT).locator('.problem').textContent(), { timeout: 30_000 })
      .toMatch(/not allowed|may not|no rule|FORBIDDEN|forbid/i);
    const pos = row(POSITION).locator('input.edit');
    await pos.fill('50');
    await expect
      .poll(() => row(POSITION).locator('.problem').textContent(), { timeout: 30_000 })
      .toMatch(/10/);
    await page.locator('#apply').click();
    await shot('3-refused');
    // nothing was written: the set-point is still 1 mm
    const got = await tk(['--redis', redis.url, 'oldb', 'get', '/root/example/double/setpoint'], {
      timeoutMs: 60_000,
    });
    expect(got.stdout).toMatch(/\b1(\.0)?\b/);
    await page.locator('#reset').click();
    await expect.poll(() => page.locator('body').getAttribute('data-pending')).toBe('0');
  }, 120_000);

  it('stopping the gateway shows the page disconnected; restarting it shows it live again', async () => {
    const { code } = await serve!.stop('SIGINT');
    serve = undefined;
    expect(code).toBe(0);
    await expect
      .poll(() => page.locator('#connection').getAttribute('data-status'), { timeout: 30_000 })
      .not.toBe('connected');
    await expect.poll(() => row(SINE).getAttribute('data-quality'), { timeout: 30_000 }).toBe('INVALID');
    expect(await row(SINE).getAttribute('data-connection')).toBe('disconnected');
    await shot('4-disconnected');
    await startServe();
    await expect
      .poll(() => page.locator('#connection').getAttribute('data-status'), { timeout: 60_000 })
      .toBe('connected');
    await expect.poll(() => row(SINE).getAttribute('data-quality'), { timeout: 30_000 }).toBe('VALID');
    const sine = row(SINE).locator('.read');
    const first = await sine.textContent();
    await expect.poll(() => sine.textContent(), { timeout: 30_000 }).not.toBe(first);
    await shot('5-live-again');
    expect(errors).toEqual([]);
  }, 180_000);
});
