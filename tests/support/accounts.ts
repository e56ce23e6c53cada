import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Role, User } from '../../contracts/auth.js';
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
