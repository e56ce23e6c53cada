import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApp, type TestApp } from '../support/app.js';
import { createAccount, login, uniqueHandle } from '../support/accounts.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());

describe('register', () => {
  it('creates a fan and answers 201 {user, token} with an httpOnly SameSite cookie', async () => {
    const handle = uniqueHandle();
    const res = await app.http.post('/api/auth/register').send({ handle, password: 'password-123', displayName: '  小明 ' });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ handle, displayName: '小明', role: 'fan' });
    expect(Object.keys(res.body.user).sort()).toEqual(['createdAt', 'displayName', 'handle', 'id', 'role']);
    expect(res.body.token).toMatch(/^ey/);
    const cookie = res.headers['set-cookie'][0];
    expect(cookie).toMatch(/^lotus_token=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('answers CONFLICT for a handle that differs only in case', async () => {
    const handle = uniqueHandle();
    await app.http.post('/api/auth/register').send({ handle, password: 'password-123' }).expect(201);
    const res = await app.http.post('/api/auth/register').send({ handle: handle.toUpperCase(), password: 'password-123' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONFLICT');
  });

  it('rejects short passwords, bad handles, wrong types and extra fields with the field named', async () => {
    const cases = [
      { handle: uniqueHandle(), password: 'short' },
      { handle: 'x', password: 'password-123' },
      { handle: '<script>', password: 'password-123' },
      { handle: 12345, password: 'password-123' },
      { handle: uniqueHandle(), password: ['password-123'] },
      { handle: uniqueHandle(), password: 'password-123', role: 'admin' },
      { handle: uniqueHandle(), password: 'password-123', displayName: 'a\u0000b' },
    ];
    for (const body of cases) {
      const res = await app.http.post('/api/auth/register').send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(Array.isArray(res.body.error.details)).toBe(true);
    }
  });

  it('never stores a plain password and never returns the hash', async () => {
    const account = await createAccount(app);
    const { rows } = await app.deps.db.pool.query('select password_hash from users where id = $1', [account.user.id]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(account.user)).not.toContain('argon2');
  });

  it('keeps one account when the same handle registers twice at once', async () => {
    const handle = uniqueHandle();
    const results = await Promise.all(
      [1, 2, 3].map(() => app.http.post('/api/auth/register').send({ handle, password: 'password-123' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });
});

describe('login, me and logout', () => {
  it('logs in with the password, reads /api/me with the bearer token and with the cookie', async () => {
    const account = await createAccount(app);
    const res = await app.http.post('/api/auth/login').send({ handle: account.user.handle.toUpperCase(), password: account.password });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(account.user.id);
    const bearer = await app.http.get('/api/me').set('Authorization', `Bearer ${res.body.token}`);
    expect(bearer.body.user.id).toBe(account.user.id);
    const cookie = res.headers['set-cookie'][0].split(';')[0];
    const viaCookie = await app.http.get('/api/me').set('Cookie', cookie);
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.body.user.handle).toBe(account.user.handle);
  });

  it('answers UNAUTHENTICATED for a wrong password, an unknown handle, and a guest on /api/me', async () => {
    const account = await createAccount(app);
    const wrong = await app.http.post('/api/auth/login').send({ handle: account.user.handle, password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('UNAUTHENTICATED');
    const unknown = await app.http.post('/api/auth/login').send({ handle: uniqueHandle(), password: 'whatever-123' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
    const guest = await app.http.get('/api/me');
    expect(guest.status).toBe(401);
    expect(guest.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('rejects a forged or tampered token', async () => {
    const account = await createAccount(app);
    const [h, p, s] = account.token.split('.');
    // Change the signature's first character: every one of its bits counts (the last character's
    // low bits are padding, so rewriting the end could leave the decoded signature unchanged).
    const tampered = `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`;
    expect((await app.http.get('/api/me').set('Authorization', `Bearer ${tampered}`)).status).toBe(401);
    expect((await app.http.get('/api/me').set('Authorization', 'Bearer not-a-token')).status).toBe(401);
  });

  it('logout revokes the token and clears the cookie', async () => {
    const account = await createAccount(app);
    const out = await app.http.post('/api/auth/logout').set('Authorization', account.bearer);
    expect(out.status).toBe(204);
    expect(out.headers['set-cookie'][0]).toMatch(/lotus_token=;/);
    const after = await app.http.get('/api/me').set('Authorization', account.bearer);
    expect(after.status).toBe(401);
  });

  it('a guest logout is a harmless 204', async () => {
    expect((await app.http.post('/api/auth/logout')).status).toBe(204);
  });
});

describe('roles', () => {
  it('the configured admin exists at start and can change roles', async () => {
    const admin = await login(app, ADMIN.handle, ADMIN.password);
    expect(admin.user.role).toBe('admin');
    const fan = await createAccount(app);
    const res = await app.http.patch(`/api/users/${fan.user.id}/role`).set('Authorization', `Bearer ${admin.token}`).send({ role: 'writer' });
    expect(res.status).toBe(200);
    expect(res.body.user.role).toBe('writer');
    // The role is read on every request, so the fan's existing token now carries the new role.
    expect((await app.http.get('/api/me').set('Authorization', fan.bearer)).body.user.role).toBe('writer');
  });

  it('only admins may change roles', async () => {
    const target = await createAccount(app);
    for (const role of ['fan', 'moderator', 'writer'] as const) {
      const actor = await createAccount(app, role);
      const res = await app.http.patch(`/api/users/${target.user.id}/role`).set('Authorization', actor.bearer).send({ role: 'admin' });
      expect(res.status, role).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    const guest = await app.http.patch(`/api/users/${target.user.id}/role`).send({ role: 'admin' });
    expect(guest.status).toBe(401);
  });

  it('role changes validate the role and the user', async () => {
    const admin = await login(app, ADMIN.handle, ADMIN.password);
    const auth = `Bearer ${admin.token}`;
    const fan = await createAccount(app);
    expect((await app.http.patch(`/api/users/${fan.user.id}/role`).set('Authorization', auth).send({ role: 'god' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await app.http.patch('/api/users/not-a-uuid/role').set('Authorization', auth).send({ role: 'fan' })).status).toBe(400);
    const missing = await app.http.patch('/api/users/00000000-0000-4000-8000-000000000000/role').set('Authorization', auth).send({ role: 'fan' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });
});
