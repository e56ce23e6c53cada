import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { ADMIN, startTestApp, type TestApp } from '../support/app.js';
import { createAccount } from '../support/accounts.js';
import { BrowserHarness, requireBuiltClient, screenshot } from './browser.js';

const premiereTitle = `Browser premiere ${randomUUID().slice(0, 6)}`;

let app: TestApp;
let browser: BrowserHarness;

/** A blank guest page in its own context. */
const openPage = (options = {}) => browser.open(null, null, options, 10_000);

async function registerThroughUi(page: Page, handle: string, displayName: string, password: string) {
  await page.getByTestId('nav-register').click();
  await page.getByTestId('register-form').waitFor();
  await page.getByTestId('handle').fill(handle);
  await page.getByTestId('display-name').fill(displayName);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('submit').click();
}

describe('web client app shell', () => {
  beforeAll(async () => {
    requireBuiltClient();
    [app, browser] = await Promise.all([startTestApp(), BrowserHarness.launch(() => app.url)]);
    // One upcoming premiere so the list has something to show.
    const moderator = await createAccount(app, 'moderator');
    const created = await app.http
      .post('/api/rooms')
      .set('Authorization', moderator.bearer)
      .send({
        title: premiereTitle,
        ip: 'Lotus Test Series',
        videoUrl: '/media/test.mp4',
        durationMs: 45 * 60_000,
        startsAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('lets a fan register, log out and log back in', async () => {
    const page = await openPage({ viewport: { width: 1280, height: 800 } });
    const handle = `fan_${randomUUID().slice(0, 8)}`;
    const displayName = `Fan ${handle.slice(4)}`;
    const password = 'correct-horse-battery';

    await page.goto(app.url);
    // Guests can browse the list and are invited to log in.
    await page.getByTestId('room-list').getByTestId('room-item').first().waitFor();
    await page.getByTestId('guest-prompt').waitFor();

    await registerThroughUi(page, handle, displayName, password);
    await page.getByTestId('nav-user').filter({ hasText: displayName }).waitFor();
    await page.getByTestId('room-list').waitFor();
    // The list loads again for the signed-in fan: wait for it, then count.
    await page.getByTestId('room-item').filter({ hasText: premiereTitle }).first().waitFor();
    await expect(page.getByTestId('room-item').filter({ hasText: premiereTitle }).count()).resolves.toBe(1);
    await expect(page.getByTestId('guest-prompt').count()).resolves.toBe(0);
    await expect(page.getByTestId('nav-role').textContent()).resolves.toBe('Fan');
    // A fan sees no staff, writer or admin links.
    const staffLinks = page.locator('[data-testid=nav-staff], [data-testid=nav-writers], [data-testid=nav-admin]');
    await expect(staffLinks.count()).resolves.toBe(0);
    await screenshot(page, 'rooms-desktop.png');

    await page.getByTestId('logout').click();
    await page.getByTestId('nav-login').waitFor();
    await expect(page.getByTestId('nav-user').count()).resolves.toBe(0);

    await page.getByTestId('nav-login').click();
    await page.getByTestId('login-form').waitFor();
    await page.getByTestId('handle').fill(handle);
    await page.getByTestId('password').fill('not-the-password');
    await page.getByTestId('submit').click();
    const banner = page.getByTestId('error-banner');
    await banner.waitFor();
    await expect(banner.getAttribute('data-code')).resolves.toBe('UNAUTHENTICATED');
    await expect(banner.textContent()).resolves.toContain('Handle or password is wrong');

    await page.getByTestId('password').fill(password);
    await page.getByTestId('submit').click();
    await page.getByTestId('room-list').waitFor();
    await page.getByTestId('nav-user').filter({ hasText: displayName }).waitFor();

    // The session survives a reload: GET /api/me with the httpOnly cookie.
    await page.reload();
    await page.getByTestId('nav-user').filter({ hasText: displayName }).waitFor();
  });

  it('switches to Chinese and remembers the choice', async () => {
    const page = await openPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${app.url}/#/login`);
    await page.getByTestId('login-form').waitFor();
    await expect(page.locator('h1').textContent()).resolves.toBe('Log in');

    await page.getByTestId('lang-switch').getByTestId('lang-zh-CN').click();
    await page.locator('h1', { hasText: '登录' }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
    await expect(page.getByTestId('lang-zh-CN').getAttribute('aria-pressed')).resolves.toBe('true');
    await screenshot(page, 'login-zh.png');

    await page.reload();
    await page.locator('h1', { hasText: '登录' }).waitFor();
    await expect(page.evaluate(() => localStorage.getItem('lotus.lang'))).resolves.toBe('zh-CN');
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
    const page = await openPage(phone);
    const account = await createAccount(app, 'moderator');
    // Log in through the API in this browser context: the cookie lands in the context's jar.
    const res = await page.request.post(`${app.url}/api/auth/login`, {
      data: { handle: account.user.handle, password: account.password },
    });
    expect(res.status()).toBe(200);

    await page.goto(app.url);
    await page.getByTestId('room-item').first().waitFor();
    await page.getByTestId('nav-user').waitFor();
    await page.getByTestId('nav-staff').waitFor();
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    await screenshot(page, 'rooms-phone.png');
  });

  it('gives staff a premiere form and admins a role form', async () => {
    const page = await openPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${app.url}/#/staff`);
    // Guests are asked to log in first.
    await page.getByTestId('login-required').waitFor();

    const res = await page.request.post(`${app.url}/api/auth/login`, { data: ADMIN });
    expect(res.status()).toBe(200);
    await page.reload();
    await page.getByTestId('create-room-form').waitFor();
    const title = `Staff premiere ${randomUUID().slice(0, 6)}`;
    await page.getByTestId('room-title').fill(title);
    await page.getByTestId('room-ip').fill('Lotus Test Series');
    await page.getByTestId('room-video-url').fill('/media/staff.mp4');
    await page.getByTestId('room-duration').fill('30');
    await page.getByTestId('create-room-submit').click();
    const created = page.getByTestId('room-created');
    await created.waitFor();
    await created.getByRole('link').click();
    await page.locator('h1', { hasText: title }).waitFor();
    await page.getByTestId('player').waitFor();

    const fan = await createAccount(app, 'fan');
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('role-form').waitFor();
    await page.getByTestId('user-id').fill(fan.user.id);
    await page.getByTestId('role-select').selectOption('writer');
    await page.getByTestId('role-submit').click();
    await page.getByTestId('role-changed').filter({ hasText: `@${fan.user.handle}` }).waitFor();
    const me = await app.http.get('/api/me').set('Authorization', fan.bearer);
    expect(me.body.user.role).toBe('writer');
  });

  it('ran without page errors or CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});
