import { describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { createAccount } from '../support/accounts.js';
import { emitAck, type ClientSocket } from '../support/sockets.js';
import { twoProcesses } from '../support/two-processes.js';

// Two server processes' worth of Lotus on one database and Redis; each keeps its own reading of users' sanctions.
const two = twoProcesses('sanctions_live', { DANMAKU_USER_INTERVAL_MS: '0', DANMAKU_PER_IP_PER_10S: '10000' });

const act = (app: TestApp, body: object) => app.http.post('/api/moderation/actions').set('Authorization', two.mod.bearer).send({ targetType: 'user', reason: 'heated', ...body });
const send = (s: ClientSocket, text: string) => emitAck(s, 'danmaku:send', { roomId: two.room.id, text });

async function fanOn(...apps: TestApp[]) {
  const fan = await createAccount(two.a);
  return { fan, sockets: await Promise.all(apps.map((app) => two.connect(app, fan.token))) };
}

describe('sanctions reach every server process at the next message', () => {
  it('a mute made on A refuses the very next comment on B, and lifting it on B frees the next one on A', async () => {
    const { fan, sockets: [onA, onB] } = await fanOn(two.a, two.b);
    // Both processes have read the fan's (empty) sanctions and keep that reading.
    expect((await send(onA, 'hello from A')).ok).toBe(true);
    expect((await send(onB, 'hello from B')).ok).toBe(true);

    await act(two.a, { targetId: fan.user.id, action: 'mute', roomId: two.room.id, durationMs: 600_000 }).expect(201);
    const refused = await send(onB, 'right after the mute');
    expect(refused.ok).toBe(false);
    expect(refused.error.code).toBe('MUTED');
    expect((await send(onA, 'and on A')).error.code).toBe('MUTED');

    await act(two.b, { targetId: fan.user.id, action: 'unmute', roomId: two.room.id }).expect(201);
    expect((await send(onA, 'free again on A')).ok).toBe(true);
    expect((await send(onB, 'and on B')).ok).toBe(true);
  });

  it('a ban made on B stops the next comment on A; many comments before it are accepted and none after', async () => {
    const { fan, sockets: [onA] } = await fanOn(two.a);
    // A keeps answering from its reading while the fan sends in a burst.
    const before = await Promise.all(Array.from({ length: 20 }, (_, i) => send(onA, `burst ${i}`)));
    expect(before.every((ack) => ack.ok)).toBe(true);
    await act(two.b, { targetId: fan.user.id, action: 'ban' }).expect(201);
    const after = await Promise.all(Array.from({ length: 5 }, (_, i) => send(onA, `after ${i}`)));
    expect(after.map((ack) => ack.error?.code)).toEqual(Array(5).fill('BANNED'));
  });

  it('a shadow mute made on A applies on B at once: the comment is acked, and viewers never get it', async () => {
    const { fan, sockets: [onB] } = await fanOn(two.b);
    const other = await fanOn(two.b);
    const viewer = await two.connect(two.a);
    expect((await emitAck(viewer, 'room:join', { roomId: two.room.id })).ok).toBe(true);
    const seen: string[] = [];
    viewer.on('danmaku:batch', (batch: { items: Array<{ text: string }> }) => seen.push(...batch.items.map((d) => d.text)));
    expect((await send(onB, 'before the shadow mute')).ok).toBe(true);

    await act(two.a, { targetId: fan.user.id, action: 'shadow_mute', roomId: two.room.id }).expect(201);
    expect((await send(onB, 'only I see this')).ok).toBe(true);
    // Someone else's comment after it: once the viewer has that, it would have had the hidden one too.
    expect((await send(other.sockets[0], 'a later comment')).ok).toBe(true);
    await expect.poll(() => seen).toContain('a later comment');
    expect(seen).toContain('before the shadow mute');
    expect(seen).not.toContain('only I see this');
  });
});
