import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { emitAck, nextEvent, socketPool } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import type { Room } from '../../contracts/rooms.js';

let app: TestApp;
let mod: Account;
let room: Room;
const sockets = socketPool(() => app.url);
const open = sockets.open;

beforeAll(async () => {
  app = await startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0' } });
  mod = await createAccount(app, 'moderator');
  room = await createRoom(app, mod, { agoMs: 30_000 });
});
afterAll(async () => {
  sockets.closeAll();
  await app?.stop();
});

describe('danmaku between two viewers', () => {
  it('a comment sent by one fan arrives at another in a danmaku:batch, with the server position as offset', async () => {
    const alice = await createAccount(app);
    const a = await open(alice.token);
    const b = await open();
    await emitAck(a, 'room:join', { roomId: room.id });
    const joined = await emitAck(b, 'room:join', { roomId: room.id });
    expect(joined.danmaku.items).toEqual(expect.any(Array));

    const arrived = nextEvent(b, 'danmaku:batch', (batch: any) => batch.items.some((d: any) => d.text === '第一条弹幕!'));
    const ack = await emitAck(a, 'danmaku:send', { roomId: room.id, text: '  第一条弹幕!  ', mode: 'top', color: '#FFCC00', offsetMs: 5 });
    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    expect(ack.danmaku).toMatchObject({ roomId: room.id, userId: alice.user.id, text: '第一条弹幕!', mode: 'top', color: '#ffcc00' });
    // While live, the offset is the server's position (about 30 s in), not the client's 5 ms.
    expect(ack.danmaku.offsetMs).toBeGreaterThanOrEqual(29_000);
    const batch = await arrived;
    expect(batch.roomId).toBe(room.id);
    expect(batch.seq).toMatch(/^\d+-\d+$/);
    expect(batch.items.find((d: any) => d.id === ack.danmaku.id)).toEqual(ack.danmaku);
  });

  it('keeps the order in which comments were accepted', async () => {
    const sender = await createAccount(app);
    const a = await open(sender.token);
    const b = await open();
    await emitAck(a, 'room:join', { roomId: room.id });
    await emitAck(b, 'room:join', { roomId: room.id });
    const received: string[] = [];
    const all = new Promise<void>((resolve) => {
      b.on('danmaku:batch', (batch: any) => {
        for (const d of batch.items) if (d.text.startsWith('order-')) received.push(d.text);
        if (received.length === 20) resolve();
      });
    });
    for (let i = 0; i < 20; i++) {
      const ack = await emitAck(a, 'danmaku:send', { roomId: room.id, text: `order-${i}` });
      expect(ack.ok).toBe(true);
    }
    await all;
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => `order-${i}`));
  });

  it('markup is just text: <script> and <img onerror> arrive unchanged, as text', async () => {
    const fan = await createAccount(app);
    const a = await open(fan.token);
    await emitAck(a, 'room:join', { roomId: room.id });
    for (const text of ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>']) {
      const ack = await emitAck(a, 'danmaku:send', { roomId: room.id, text });
      expect(ack.ok).toBe(true);
      expect(ack.danmaku.text).toBe(text);
    }
  });

  it('a late joiner gets the recent comments in the join ack', async () => {
    const fan = await createAccount(app);
    const a = await open(fan.token);
    await emitAck(a, 'room:join', { roomId: room.id });
    const sent = await emitAck(a, 'danmaku:send', { roomId: room.id, text: 'for the late joiner' });
    const late = await open();
    const joined = await emitAck(late, 'room:join', { roomId: room.id });
    expect(joined.danmaku.items.map((d: any) => d.id)).toContain(sent.danmaku.id);
  });

  it('a reconnecting viewer passes sinceSeq and gets exactly what it missed', async () => {
    const fan = await createAccount(app);
    const a = await open(fan.token);
    await emitAck(a, 'room:join', { roomId: room.id });
    const viewer = await open();
    const first = await emitAck(viewer, 'room:join', { roomId: room.id });
    viewer.close();
    const missed = [];
    for (let i = 0; i < 3; i++) missed.push((await emitAck(a, 'danmaku:send', { roomId: room.id, text: `missed ${i}` })).danmaku.id);
    const back = await open();
    const rejoined = await emitAck(back, 'room:join', { roomId: room.id, sinceSeq: first.danmaku.seq });
    expect(rejoined.danmaku.items.map((d: any) => d.id)).toEqual(missed);
  });
});
