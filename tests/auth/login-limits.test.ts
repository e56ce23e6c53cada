import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, uniqueHandle } from '../support/accounts.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { LOGIN_ATTEMPTS_PER_15MIN: '3', REGISTRATIONS_PER_HOUR: '200' } });
});
afterAll(() => app?.stop());

describe('login attempt limits', () => {
  it('limits attempts per handle and answers RATE_LIMITED with Retry-After, even for the right password', async () => {
    const account = await createAccount(app);
    for (let i = 0; i < 3; i++) {
      const res = await app.http.post('/api/auth/login').send({ handle: account.user.handle, password: 'wrong-password' });
      expect(res.status).toBe(401);
    }
    const limited = await app.http.post('/api/auth/login').send({ handle: account.user.handle, password: account.password });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('a successful login resets the handle budget', async () => {
    const account = await createAccount(app);
    await app.http.post('/api/auth/login').send({ handle: account.user.handle, password: 'wrong-password' }).expect(401);
    await app.http.post('/api/auth/login').send({ handle: account.user.handle, password: 'wrong-password' }).expect(401);
    await app.http.post('/api/auth/login').send({ handle: account.user.handle, password: account.password }).expect(200);
    await app.http.post('/api/auth/login').send({ handle: account.user.handle, password: 'wrong-password' }).expect(401);
    await app.http.post('/api/auth/login').send({ handle: account.user.handle, password: account.password }).expect(200);
  });

  it('limits attempts per IP across many handles', async () => {
    // Per-IP budget is ten times the per-handle one: 30 here. Earlier tests in this file used some.
    let limited = false;
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await app.http.post('/api/auth/login').send({ handle: uniqueHandle(), password: 'whatever-123' });
      limited = res.status === 429;
    }
    expect(limited).toBe(true);
  });
});

describe('registration limits', () => {
  it('limits new accounts per IP', async () => {
    const small = await startTestApp({ env: { REGISTRATIONS_PER_HOUR: '2' } });
    try {
      await small.http.post('/api/auth/register').send({ handle: uniqueHandle(), password: 'password-123' }).expect(201);
      await small.http.post('/api/auth/register').send({ handle: uniqueHandle(), password: 'password-123' }).expect(201);
      const res = await small.http.post('/api/auth/register').send({ handle: uniqueHandle(), password: 'password-123' });
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('RATE_LIMITED');
    } finally {
      await small.stop();
    }
  });
});
