import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { connectSocket, emitAck, nextEvent, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import { startPrivateRedis } from '../../server/redis/private-redis-server.js';

const FAST = { DANMAKU_USER_INTERVAL_MS: '0' };

describe('two server processes share a room', () => {
  const iso = isolation('cluster');
  let a: TestApp;
  let b: ServerProcess;
  let mod: Account;
  const sockets: ClientSocket[] = [];
  beforeAll(async () => {
    a = await startTestApp({ shared: iso, env: FAST });
    b = await spawnServer(iso, FAST);
    mod = await createAccount(a, 'moderator');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await b?.stop();
    await a?.stop();
  });
  const on = async (url: string, token?: string) => {
    const s = await connectSocket(url, { token });
    sockets.push(s);
    return s;
  };

  it('a fan on one process sees, in order, what a fan on the other sends', async () => {
    const room = await createRoom(a, mod);
    const fan = await createAccount(a);
    const sender = await on(b.url, fan.token);
    const viewer = await on(a.url);
    await emitAck(viewer, 'room:join', { roomId: room.id });
    await emitAck(sender, 'room:join', { roomId: room.id });
    const got: string[] = [];
    const done = new Promise<void>((resolve) =>
      viewer.on('danmaku:batch', (batch: any) => {
        got.push(...batch.items.map((d: any) => d.text));
        if (got.length >= 15) resolve();
      }),
    );
    for (let i = 0; i < 15; i++) expect((await emitAck(sender, 'danmaku:send', { roomId: room.id, text: `cross ${i}` })).ok).toBe(true);
    await done;
    expect(got).toEqual(Array.from({ length: 15 }, (_, i) => `cross ${i}`));
  });

  it('a hide on one process retracts the comment on the other; a mute on one stops the next message on the other', async () => {
    const room = await createRoom(a, mod);
    const fan = await createAccount(a);
    const sender = await on(a.url, fan.token);
    const viewer = await on(b.url);
    await emitAck(viewer, 'room:join', { roomId: room.id });
    const sent = await emitAck(sender, 'danmaku:send', { roomId: room.id, text: 'hide me' });
    const retract = nextEvent(viewer, 'danmaku:retract');
    await b.http.post('/api/moderation/actions').set('Authorization', mod.bearer).send({ targetType: 'danmaku', targetId: sent.danmaku.id, action: 'hide', reason: 'test' }).expect(201);
    expect((await retract).ids).toEqual([sent.danmaku.id]);

    await b.http.post('/api/moderation/actions').set('Authorization', mod.bearer).send({ targetType: 'user', targetId: fan.user.id, action: 'mute', reason: 'test', durationMs: 60_000 }).expect(201);
    expect((await emitAck(sender, 'danmaku:send', { roomId: room.id, text: 'still here?' })).error.code).toBe('MUTED');
  });
});

describe('durability', () => {
  it('a danmaku acked before a server restart is in the replay after it', async () => {
    const iso = isolation('restart');
    const first = await startTestApp({ shared: iso, env: FAST });
    const mod = await createAccount(first, 'moderator');
    const room = await createRoom(first, mod);
    const fan = await createAccount(first);
    const s = await connectSocket(first.url, { token: fan.token });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await emitAck(s, 'danmaku:send', { roomId: room.id, text: `before restart ${i}` })).danmaku.id);
    s.close();
    await first.stop(); // no workers ran: the comments exist only in the Redis stream

    const second = await startTestApp({ shared: iso, env: FAST });
    const workers = await startTestWorkers(second);
    try {
      const replayed = await eventually(async () => {
        const items = (await second.http.get(`/api/rooms/${room.id}/danmaku`)).body.items;
        return items.length === 5 && items;
      });
      expect(replayed.map((d: any) => d.id).sort()).toEqual([...ids].sort());
    } finally {
      await workers.close();
      await second.stop();
    }
  });

  it('while Redis is down a send answers UNAVAILABLE at once; after it returns nothing acked is lost', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotus-redis-'));
    let redis = await startPrivateRedis({ dataDir: dir });
    const port = Number(new URL(redis.url).port);
    const app = await startTestApp({ redisUrl: redis.url, env: FAST });
    const workers = await startTestWorkers(app, redis.url);
    try {
      const mod = await createAccount(app, 'moderator');
      const room = await createRoom(app, mod);
      const fan = await createAccount(app);
      const s = await connectSocket(app.url, { token: fan.token });
      const kept = await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'sent before the outage' });
      expect(kept.ok).toBe(true);
      await redis.stop();
      const during = await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'during the outage' });
      expect(during.ok).toBe(false);
      expect(during.error.code).toBe('UNAVAILABLE');
      redis = await startPrivateRedis({ dataDir: dir, port });
      const after = await eventually(async () => {
        const ack = await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'after the outage' });
        return ack.ok && ack;
      });
      expect(after.danmaku.text).toBe('after the outage');
      await eventually(async () => {
        const items = (await app.http.get(`/api/rooms/${room.id}/danmaku`)).body.items ?? [];
        return items.some((d: any) => d.id === kept.danmaku.id) && items.some((d: any) => d.id === after.danmaku.id);
      }, 20_000);
      s.close();
    } finally {
      await workers.close();
      await app.stop();
      await redis.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
