import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Role, User } from '../../contracts/auth.js';
import { hashPassword } from '../../server/features/auth/passwords.js';
import { createTokens } from '../../server/features/auth/tokens.js';
import { ADMIN, type TestApp } from './app.js';

export interface Account {
  user: User;
  token: string;
  password: string;
  /** Authorization header value for supertest. */
  bearer: string;
}

export const uniqueHandle = (prefix = 'fan') => `${prefix}_${randomUUID().slice(0, 8)}`;

/** Registers a new account through the API and, for other roles, has the admin grant it. */
export async function createAccount(app: TestApp, role: Role = 'fan', handle = uniqueHandle(role)): Promise<Account> {
  const password = 'correct-horse-battery';
  const res = await app.http.post('/api/auth/register').send({ handle, password });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  let user: User = res.body.user;
  if (role !== 'fan') {
    const admin = await login(app, ADMIN.handle, ADMIN.password);
    const changed = await app.http.patch(`/api/users/${user.id}/role`).set('Authorization', `Bearer ${admin.token}`).send({ role });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    user = changed.body.user;
  }
  return { user, token: res.body.token, password, bearer: `Bearer ${res.body.token}` };
}

export async function login(app: TestApp, handle: string, password: string): Promise<{ user: User; token: string }> {
  const res = await app.http.post('/api/auth/login').send({ handle, password });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/**
 * Many fan accounts at once, for load-shaped tests: rows go straight into `users` with one
 * shared password hash and tokens are minted with the app's own token code and secret.
 * Registering through the API costs an argon2 hash per account (seconds for a thousand);
 * the server still verifies every token and reads the user at each socket handshake.
 */
export async function createFans(app: TestApp, count: number): Promise<Array<Pick<Account, 'user' | 'token'>>> {
  const passwordHash = await hashPassword('correct-horse-battery');
  const tag = randomUUID().slice(0, 8);
  const rows = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), handle: `f${tag}_${i}` }));
  const inserted = await app.deps.db.pool.query(
    `insert into users (id, handle, display_name, password_hash, role)
     select id, handle, handle, $3, 'fan' from unnest($1::uuid[], $2::text[]) as t(id, handle)
     returning id, handle, display_name, role, created_at`,
    [rows.map((r) => r.id), rows.map((r) => r.handle), passwordHash],
  );
  const tokens = createTokens({ secret: app.config.LOTUS_JWT_SECRET!, ttlSeconds: 3600, redis: app.deps.redis, key: app.deps.key });
  return Promise.all(
    inserted.rows.map(async (r) => ({
      user: { id: r.id, handle: r.handle, displayName: r.display_name, role: r.role, createdAt: r.created_at.toISOString() },
      token: (await tokens.issue(r.id)).token,
    })),
  );
}
