import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { connectSocket, emitAck, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import type { Room } from '../../contracts/rooms.js';

// Two server processes' worth of Lotus on one database and Redis; each keeps its own reading of users' sanctions.
const iso = isolation('sanctions_live');
const env = { DANMAKU_USER_INTERVAL_MS: '0', DANMAKU_PER_IP_PER_10S: '10000' };
let a: TestApp;
let b: TestApp;
let mod: Account;
let room: Room;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  a = await startTestApp({ shared: iso, env });
  b = await startTestApp({ shared: iso, env });
  mod = await createAccount(a, 'moderator');
  room = await createRoom(a, mod);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await b?.stop();
  await a?.stop();
});

const act = (app: TestApp, body: object) => app.http.post('/api/moderation/actions').set('Authorization', mod.bearer).send({ targetType: 'user', reason: 'heated', ...body });
const send = (s: ClientSocket, text: string) => emitAck(s, 'danmaku:send', { roomId: room.id, text });

async function fanOn(...apps: TestApp[]) {
  const fan = await createAccount(a);
  const connected = await Promise.all(apps.map((app) => connectSocket(app.url, { token: fan.token })));
  sockets.push(...connected);
  return { fan, sockets: connected };
}

describe('sanctions reach every server process at the next message', () => {
  it('a mute made on A refuses the very next comment on B, and lifting it on B frees the next one on A', async () => {
    const { fan, sockets: [onA, onB] } = await fanOn(a, b);
    // Both processes have read the fan's (empty) sanctions and keep that reading.
    expect((await send(onA, 'hello from A')).ok).toBe(true);
    expect((await send(onB, 'hello from B')).ok).toBe(true);

    await act(a, { targetId: fan.user.id, action: 'mute', roomId: room.id, durationMs: 600_000 }).expect(201);
    const refused = await send(onB, 'right after the mute');
    expect(refused.ok).toBe(false);
    expect(refused.error.code).toBe('MUTED');
    expect((await send(onA, 'and on A')).error.code).toBe('MUTED');

    await act(b, { targetId: fan.user.id, action: 'unmute', roomId: room.id }).expect(201);
    expect((await send(onA, 'free again on A')).ok).toBe(true);
    expect((await send(onB, 'and on B')).ok).toBe(true);
  });

  it('a ban made on B stops the next comment on A; many comments before it are accepted and none after', async () => {
    const { fan, sockets: [onA] } = await fanOn(a);
    // A keeps answering from its reading while the fan sends in a burst.
    const before = await Promise.all(Array.from({ length: 20 }, (_, i) => send(onA, `burst ${i}`)));
    expect(before.every((ack) => ack.ok)).toBe(true);
    await act(b, { targetId: fan.user.id, action: 'ban' }).expect(201);
    const after = await Promise.all(Array.from({ length: 5 }, (_, i) => send(onA, `after ${i}`)));
    expect(after.map((ack) => ack.error?.code)).toEqual(Array(5).fill('BANNED'));
  });

  it('a shadow mute made on A applies on B at once: the comment is acked, and viewers never get it', async () => {
    const { fan, sockets: [onB] } = await fanOn(b);
    const other = await fanOn(b);
    const viewer = await connectSocket(a.url);
    sockets.push(viewer);
    expect((await emitAck(viewer, 'room:join', { roomId: room.id })).ok).toBe(true);
    const seen: string[] = [];
    viewer.on('danmaku:batch', (batch: { items: Array<{ text: string }> }) => seen.push(...batch.items.map((d) => d.text)));
    expect((await send(onB, 'before the shadow mute')).ok).toBe(true);

    await act(a, { targetId: fan.user.id, action: 'shadow_mute', roomId: room.id }).expect(201);
    expect((await send(onB, 'only I see this')).ok).toBe(true);
    // Someone else's comment after it: once the viewer has that, it would have had the hidden one too.
    expect((await send(other.sockets[0], 'a later comment')).ok).toBe(true);
    await expect.poll(() => seen).toContain('a later comment');
    expect(seen).toContain('before the shadow mute');
    expect(seen).not.toContain('only I see this');
  });
});
