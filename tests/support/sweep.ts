import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import { allowance } from './allowance.js';
import { createAccount, type Account } from './accounts.js';
import type { TestApp } from './app.js';
import type { Room } from '../../contracts/rooms.js';

/**
 * What the sweeps (tests/http/*-sweep.test.ts) share: every HTTP route and socket event
 * found in the server's source, so a new one is swept without touching a test, and one
 * way of asking and of judging an answer.
 */

const SERVER = path.resolve(import.meta.dirname, '../../server');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export interface Route { method: Method; path: string }

/** `router.get('/rooms/:id', …)` in the features is served under /api; health routes at the root. */
export function discoverRoutes(): Route[] {
  const routes: Route[] = [];
  for (const file of sourceFiles(SERVER)) {
    const prefix = file.includes(`${path.sep}features${path.sep}`) ? '/api' : '';
    for (const m of readFileSync(file, 'utf8').matchAll(/router\.(get|post|put|patch|delete)\(\s*'([^']+)'/g)) {
      routes.push({ method: m[1] as Method, path: prefix + m[2] });
    }
  }
  // Logging out ends the session of whoever asks: last, so the other routes run signed in.
  return routes.sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')));
}

/** `'danmaku:send': {` in an events file: the names bindEvent is given. */
export function discoverEvents(): string[] {
  const names = new Set<string>();
  for (const file of sourceFiles(SERVER)) {
    if (!/events\.ts$/.test(file)) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/^\s*'([a-z]+:[a-z-]+)':\s*\{/gm)) names.add(m[1]);
  }
  return [...names];
}

export interface Answer { status: number; text: string; body: any; label: string }

/** A success or a stable error: never a 5xx (but `allow`, e.g. 503 while a dependency is down), never a stack trace. */
export function checkAnswer(a: Answer, allow: number[] = []) {
  if (!allow.includes(a.status)) expect(a.status, `${a.label} → ${a.status} ${a.text.slice(0, 300)}`).toBeLessThan(500);
  if (a.status >= 400 && a.label.includes(' /api/')) {
    expect(a.body, `${a.label} → ${a.text.slice(0, 300)}`).toEqual({ error: expect.objectContaining({ code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String) }) });
  }
  expect(a.text, a.label).not.toMatch(/at .+\.(ts|js):\d+/); // no stack traces
}

/** Runs `jobs` a few at a time, so a slow answer cannot hide behind thousands of others. */
export async function inBatches<T>(jobs: Array<() => Promise<T>>, size = 8): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < jobs.length; i += size) out.push(...(await Promise.all(jobs.slice(i, i + size).map((j) => j()))));
  return out;
}

export async function request(base: string, method: Method, url: string, header: string | undefined, body: string | undefined): Promise<Answer> {
  const res = await fetch(base + url, {
    method: method.toUpperCase(),
    headers: { accept: 'application/json', ...(header ? { authorization: header } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body,
    signal: AbortSignal.timeout(allowance(10_000)),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: only non-API routes may answer so (checked by checkAnswer).
  }
  return { status: res.status, text, body: parsed, label: `${method.toUpperCase()} ${url.slice(0, 120)}` };
}

export const fill = (p: string, value: string) => p.replace(/:[a-zA-Z]+/g, value);

export interface ValidRequest { method: Method; path: string; who: Account | null; body: object }

/** Requests that succeed as written, from fresh accounts (each use spends their budgets). */
export async function validRequests(app: TestApp, room: Room): Promise<ValidRequest[]> {
  const admin = await createAccount(app, 'admin');
  const fan = await createAccount(app);
  const target = await createAccount(app);
  return [
    { method: 'post', path: '/api/proposals', who: fan, body: { ip: room.ip, title: 'A title', body: '<p>Body <b>text</b></p>', tags: ['tag'] } },
    { method: 'post', path: '/api/rooms', who: admin, body: { title: 'T', ip: 'IP', videoUrl: '/media/demo-premiere.mp4', durationMs: 60_000, startsAt: new Date().toISOString() } },
    { method: 'post', path: `/api/rooms/${room.id}/polls`, who: admin, body: { question: 'Q?', options: ['a', 'b'], durationMs: 60_000 } },
    { method: 'put', path: `/api/rooms/${room.id}/settings`, who: admin, body: { blockedTerms: [{ term: 'spoiler', action: 'hold' }] } },
    { method: 'put', path: '/api/moderation/terms', who: admin, body: { terms: [{ term: 'spoiler', action: 'censor' }] } },
    { method: 'post', path: '/api/moderation/terms/test', who: admin, body: { text: 'hello' } },
    { method: 'post', path: '/api/moderation/actions', who: admin, body: { targetType: 'user', targetId: target.user.id, action: 'unmute', reason: 'check' } },
    { method: 'patch', path: '/api/me/profile', who: fan, body: { region: 'Europe' } },
    { method: 'post', path: '/api/auth/login', who: null, body: { handle: fan.user.handle, password: fan.password } },
    { method: 'put', path: `/api/ips/${encodeURIComponent(room.ip)}/settings`, who: admin, body: { supportThreshold: 50 } },
    { method: 'post', path: '/api/reports', who: fan, body: { targetType: 'user', targetId: target.user.id, reason: 'spam' } },
    { method: 'patch', path: `/api/users/${target.user.id}/role`, who: admin, body: { role: 'fan' } },
    { method: 'post', path: '/api/auth/register', who: null, body: { handle: `dup_${randomUUID().slice(0, 8)}`, password: 'password-123' } },
    { method: 'post', path: '/api/moderation/actions', who: admin, body: { targetType: 'user', targetId: target.user.id, action: 'mute', reason: 'check', durationMs: 60_000 } },
  ];
}
