import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { emitAck, socketPool, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import type { Room } from '../../contracts/rooms.js';

/**
 * `room:join {sinceSeq}` hands a reconnecting viewer what it missed. The first viewer of a
 * room on a process also starts that process tailing the room's stream, and where the
 * tail starts must be the stream's own end, whatever the viewer claims to have seen: a
 * seq past the end would silence the room for every viewer on the process, and one far
 * back would replay the stream to all of them.
 */
describe('where a process starts tailing a room, and when it stops', () => {
  let app: TestApp;
  let mod: Account;
  const sockets = socketPool(() => app.url);
  const open = sockets.open;

  beforeAll(async () => {
    // One sender posts over a thousand comments as fast as it can: lift the per-connection event budget too.
    app = await startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0', DANMAKU_PER_IP_PER_10S: '100000', SOCKET_EVENTS_PER_S: '1000000', SOCKET_EVENTS_BURST: '1000000' } });
    mod = await createAccount(app, 'moderator');
  });
  afterAll(async () => {
    sockets.closeAll();
    await app?.stop();
  });

  /** Collects the texts of every danmaku:batch a socket receives for a room. */
  const collect = (socket: ClientSocket, room: Room) => {
    const texts: string[] = [];
    socket.on('danmaku:batch', (b: any) => b.roomId === room.id && texts.push(...b.items.map((d: any) => d.text)));
    return texts;
  };

  async function sendAll(room: Room, sender: ClientSocket, texts: string[]) {
    for (const text of texts) expect((await emitAck(sender, 'danmaku:send', { roomId: room.id, text })).ok).toBe(true);
  }

  /** This process's lotus_danmaku_rooms_tailed. */
  const tailed = async () => Number(/^lotus_danmaku_rooms_tailed (\d+)$/m.exec(await (await fetch(`${app.url}/metrics`)).text())?.[1]);

  it('stops tailing a room once its viewers here have left, quiet or not, and starts again when one comes back', async () => {
    const quiet = await createRoom(app, mod);
    const busy = await createRoom(app, mod);
    const sender = await open((await createAccount(app)).token);
    const base = await tailed();
    const a = await open();
    const b = await open();
    await emitAck(a, 'room:join', { roomId: quiet.id });
    await emitAck(b, 'room:join', { roomId: busy.id });
    expect(await tailed()).toBe(base + 2);
    // Both leave; the busy room still gets a comment, the quiet one nothing at all.
    a.close();
    b.close();
    await sendAll(busy, sender, ['to an empty room']);
    await expect.poll(tailed, { timeout: 5_000 }).toBe(base);
    // A viewer coming back gets the room live again.
    const c = await open();
    const got = collect(c, quiet);
    await emitAck(c, 'room:join', { roomId: quiet.id });
    expect(await tailed()).toBe(base + 1);
    await sendAll(quiet, sender, ['welcome back']);
    await expect.poll(() => got, { timeout: 5_000 }).toEqual(['welcome back']);
  });

  it('an entry in the room stream that is not a danmaku is passed over, and the room (and every other room here) goes on', async () => {
    const room = await createRoom(app, mod);
    const sender = await open((await createAccount(app)).token);
    const viewer = await open();
    const got = collect(viewer, room);
    await emitAck(viewer, 'room:join', { roomId: room.id });
    const key = app.deps.key('dm', 'room', room.id);
    await app.deps.redis.xAdd(key, '*', { d: '{not json' });
    await app.deps.redis.xAdd(key, '*', { d: 'null' });
    await app.deps.redis.xAdd(key, '*', { other: 'field' });
    await sendAll(room, sender, ['still here']);
    await expect.poll(() => got, { timeout: 5_000 }).toEqual(['still here']);
    // A viewer joining now gets the catch-up without them.
    const late = await emitAck(await open(), 'room:join', { roomId: room.id });
    expect(late.ok, JSON.stringify(late)).toBe(true);
    expect(late.danmaku.items.map((d: any) => d.text)).toEqual(['still here']);
  });

  it('sinceSeq must be a stream id Redis can resume after', async () => {
    const room = await createRoom(app, mod);
    const s = await open();
    for (const sinceSeq of ['18446744073709551616-0', '0-18446744073709551616', '18446744073709551615-18446744073709551615']) {
      const ack = await emitAck(s, 'room:join', { roomId: room.id, sinceSeq });
      expect(ack.error?.code, sinceSeq).toBe('VALIDATION_FAILED');
    }
    const edge = await emitAck(s, 'room:join', { roomId: room.id, sinceSeq: '18446744073709551615-18446744073709551614' });
    expect(edge.ok, JSON.stringify(edge)).toBe(true);
    expect(edge.danmaku.items).toEqual([]);
  });

  it('a first joiner claiming a seq from the future does not silence the room for the others', async () => {
    const room = await createRoom(app, mod);
    const sender = await open((await createAccount(app)).token);
    await sendAll(room, sender, ['before']);
    const claimant = await open();
    const joined = await emitAck(claimant, 'room:join', { roomId: room.id, sinceSeq: '99999999999999-0' });
    expect(joined.ok).toBe(true);
    expect(joined.danmaku.items).toEqual([]);
    const viewer = await open();
    await emitAck(viewer, 'room:join', { roomId: room.id });
    const got = collect(viewer, room);
    await sendAll(room, sender, ['after one', 'after two']);
    await expect.poll(() => got, { timeout: 5_000 }).toEqual(['after one', 'after two']);
  });

  it('a first joiner claiming a seq far back gets its catch-up in the ack, and nobody gets the old stream as frames', async () => {
    const room = await createRoom(app, mod);
    const sender = await open((await createAccount(app)).token);
    // More than one catch-up holds (MISSED_ON_REJOIN, 1,000), before anyone watches.
    const old = Array.from({ length: 1_010 }, (_, i) => `old ${i}`);
    await sendAll(room, sender, old);
    const claimant = await open();
    const claimantGot = collect(claimant, room);
    const joined = await emitAck(claimant, 'room:join', { roomId: room.id, sinceSeq: '0-0' });
    expect(joined.danmaku.items).toHaveLength(1_000);
    const viewer = await open();
    const viewerGot = collect(viewer, room);
    await emitAck(viewer, 'room:join', { roomId: room.id });
    await sendAll(room, sender, ['new']);
    await expect.poll(() => viewerGot, { timeout: 5_000 }).toContain('new');
    await new Promise((r) => setTimeout(r, 300)); // a frame or two more, had the old stream been queued
    expect(viewerGot).toEqual(['new']);
    expect(claimantGot).toEqual(['new']);
  });
});
