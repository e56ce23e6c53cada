import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount } from '../support/accounts.js';
import { connectSocket, emitAck, nextEvent, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../server/db/embedded-postgres.js';
import type { WorkerRuntime } from '../../workers/runtime.js';

/**
 * Postgres goes away in the middle of a premiere. Sending a danmaku needs only Redis
 * (the room, its rules and the term list are read from each process's cache), so fans
 * keep commenting on the last known rules; what they sent is written to Postgres once
 * it is back.
 */
let dir: string;
let pg: EmbeddedPostgres;
let port: number;
let app: TestApp;
let workers: WorkerRuntime;
let pgDown = false;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lotus-pg-outage-'));
  pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data') });
  port = Number(new URL(pg.url).port);
  app = await startTestApp({ databaseUrl: pg.url, env: { DANMAKU_USER_INTERVAL_MS: '0' } });
  workers = await startTestWorkers(app);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  // Should the test stop half-way, Postgres comes back first so that the app can stop cleanly.
  if (pgDown) pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port });
  await workers?.close();
  await app?.stop();
  await pg?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('while Postgres is away', () => {
  it('fans keep sending on the last known rules, viewers see it, and it is stored once Postgres is back', { timeout: 120_000 }, async () => {
    const mod = await createAccount(app, 'moderator');
    const room = await createRoom(app, mod, { agoMs: 60_000 });
    const terms = await app.http.put(`/api/rooms/${room.id}/settings`).set('authorization', `Bearer ${mod.token}`).send({ blockedTerms: [{ term: 'spoilerword', action: 'block' }] });
    expect(terms.status, JSON.stringify(terms.body)).toBe(200);
    const fan = await createAccount(app);
    const sender = await connectSocket(app.url, { token: fan.token });
    const viewer = await connectSocket(app.url);
    sockets.push(sender, viewer);
    await emitAck(sender, 'room:join', { roomId: room.id });
    await emitAck(viewer, 'room:join', { roomId: room.id });
    const before = await emitAck(sender, 'danmaku:send', { roomId: room.id, text: 'before the outage' });
    expect(before.ok, JSON.stringify(before)).toBe(true);

    await pg.stop();
    pgDown = true;
    expect((await app.http.get('/healthz')).body.db).toBe('down');
    // Past every cache's age (rules 1 s, rooms 5 s): each send now tries Postgres first.
    await new Promise((r) => setTimeout(r, 5_500));

    const seen = nextEvent(viewer, 'danmaku:batch', (b: any) => b.items.some((d: any) => d.text === 'during <b>the</b> outage'), 10_000);
    const during = await emitAck(sender, 'danmaku:send', { roomId: room.id, text: 'during <b>the</b> outage' });
    expect(during.ok, JSON.stringify(during)).toBe(true);
    await seen;
    // The room's rules still hold: the blocked term is refused as before.
    const blocked = await emitAck(sender, 'danmaku:send', { roomId: room.id, text: 'a SpoilerWord here' });
    expect(blocked).toMatchObject({ ok: false, error: { code: 'BLOCKED_CONTENT' } });
    const again = await emitAck(sender, 'danmaku:send', { roomId: room.id, text: 'still down' });
    expect(again.ok, JSON.stringify(again)).toBe(true);

    pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port });
    pgDown = false;
    const stored = await eventually(async () => {
      const res = await app.http.get(`/api/rooms/${room.id}/danmaku`);
      return res.status === 200 && res.body.items.length === 3 ? res.body.items : null;
    }, 60_000);
    expect(stored.map((d: any) => d.text)).toEqual(['before the outage', 'during <b>the</b> outage', 'still down']);
    expect(stored.map((d: any) => d.id)).toEqual([before.danmaku.id, during.danmaku.id, again.danmaku.id]);
  });
});
