import { expect } from 'vitest';
import type { Room } from '../../contracts/rooms.js';
import type { Account } from './accounts.js';
import type { TestApp } from './app.js';

/** Creates a premiere through the API: live (started `agoMs` ago), or with an explicit start. */
export async function createRoom(app: TestApp, staff: Account, opts: { agoMs?: number; startsAt?: Date; durationMs?: number } = {}): Promise<Room> {
  const startsAt = opts.startsAt ?? new Date(Date.now() - (opts.agoMs ?? 1_000));
  const res = await app.http
    .post('/api/rooms')
    .set('Authorization', staff.bearer)
    .send({ title: 'Test premiere', ip: 'Test IP', videoUrl: '/media/demo-premiere.mp4', durationMs: opts.durationMs ?? 3_600_000, startsAt: startsAt.toISOString() });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.room;
}
