import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { connectSocket, emitAck } from '../support/sockets.js';

let app: TestApp;
let moderator: Account;
beforeAll(async () => {
  app = await startTestApp();
  moderator = await createAccount(app, 'moderator');
});
afterAll(() => app?.stop());

const roomInput = (startsAt: Date, durationMs = 60_000) => ({
  title: 'Episode 1 premiere',
  ip: 'Lotus Saga',
  videoUrl: '/media/demo.mp4',
  durationMs,
  startsAt: startsAt.toISOString(),
});

describe('rooms', () => {
  it('staff create rooms; status comes from the server clock', async () => {
    const now = Date.now();
    const live = await app.http.post('/api/rooms').set('Authorization', moderator.bearer).send(roomInput(new Date(now - 10_000)));
    expect(live.status).toBe(201);
    expect(live.body.room).toMatchObject({ title: 'Episode 1 premiere', status: 'live', durationMs: 60_000 });
    const scheduled = await app.http.post('/api/rooms').set('Authorization', moderator.bearer).send(roomInput(new Date(now + 3_600_000)));
    expect(scheduled.body.room.status).toBe('scheduled');
    const ended = await app.http.post('/api/rooms').set('Authorization', moderator.bearer).send(roomInput(new Date(now - 3_600_000)));
    expect(ended.body.room.status).toBe('ended');

    const list = await app.http.get('/api/rooms');
    expect(list.status).toBe(200);
    const statuses = list.body.rooms.map((r: { status: string }) => r.status);
    expect(statuses.indexOf('live')).toBeLessThan(statuses.indexOf('scheduled'));
    expect(statuses.indexOf('scheduled')).toBeLessThan(statuses.indexOf('ended'));
    const one = await app.http.get(`/api/rooms/${live.body.room.id}`);
    expect(one.body.room.id).toBe(live.body.room.id);
  });

  it('fans and guests cannot create rooms; bad input is VALIDATION_FAILED', async () => {
    const fan = await createAccount(app);
    expect((await app.http.post('/api/rooms').send(roomInput(new Date()))).status).toBe(401);
    expect((await app.http.post('/api/rooms').set('Authorization', fan.bearer).send(roomInput(new Date()))).status).toBe(403);
    const bad = [
      { ...roomInput(new Date()), durationMs: -5 },
      { ...roomInput(new Date()), videoUrl: 'javascript:alert(1)' },
      { ...roomInput(new Date()), startsAt: 'tomorrow' },
      { ...roomInput(new Date()), title: '' },
    ];
    for (const body of bad) {
      const res = await app.http.post('/api/rooms').set('Authorization', moderator.bearer).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('room:join answers the live position from the server clock and counts viewers', async () => {
    const startsAt = new Date(Date.now() - 20_000);
    const { body } = await app.http.post('/api/rooms').set('Authorization', moderator.bearer).send(roomInput(startsAt));
    const a = await connectSocket(app.url);
    const b = await connectSocket(app.url);
    try {
      const first = await emitAck(a, 'room:join', { roomId: body.room.id });
      expect(first.ok).toBe(true);
      expect(first.positionMs).toBeGreaterThanOrEqual(19_000);
      expect(first.positionMs).toBeLessThanOrEqual(first.serverTime - startsAt.getTime());
      const second = await emitAck(b, 'room:join', { roomId: body.room.id });
      expect(second.viewers).toBe(2);
      await emitAck(a, 'room:leave', { roomId: body.room.id });
      const again = await emitAck(b, 'room:join', { roomId: body.room.id });
      expect(again.viewers).toBe(1);
    } finally {
      a.close();
      b.close();
    }
  });
});
