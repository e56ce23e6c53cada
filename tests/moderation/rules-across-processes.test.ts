import { describe, expect, it } from 'vitest';
import { createAccount } from '../support/accounts.js';
import { emitAck, type ClientSocket } from '../support/sockets.js';
import { allowance } from '../support/allowance.js';
import { twoProcesses } from '../support/two-processes.js';

// Two server processes' worth of Lotus sharing one database and Redis, each with its own rules cache.
const two = twoProcesses('rules_live', { DANMAKU_USER_INTERVAL_MS: '0', DANMAKU_PER_IP_PER_10S: '10000' });

/**
 * Sends `text` on `socket` until the ack is refused, and returns the refusal and how long
 * after `since` it came. Each process keeps room rules for one second, so the change must
 * show within that second plus one send.
 */
async function untilRefused(socket: ClientSocket, text: string, since: number) {
  for (;;) {
    const ack = await emitAck(socket, 'danmaku:send', { roomId: two.room.id, text });
    if (!ack.ok) return { error: ack.error, afterMs: Date.now() - since };
    if (Date.now() - since > allowance(5_000)) throw new Error('the new rules never applied');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('room rules changed on one process apply on another within a second', () => {
  it('a blocked term and slow mode set through process A stop the next messages on process B', async () => {
    const fan = await createAccount(two.a);
    const s = await two.connect(two.b, fan.token);
    // B has read the room's (default) rules and keeps them cached.
    expect((await emitAck(s, 'danmaku:send', { roomId: two.room.id, text: 'forbidden fruit, before' })).ok).toBe(true);

    await two.a.http.put(`/api/rooms/${two.room.id}/settings`).set('Authorization', two.mod.bearer).send({ slowModeMs: 60_000, blockedTerms: [{ term: 'forbidden fruit', action: 'block' }] }).expect(200);
    const changedAt = Date.now();
    const blocked = await untilRefused(s, 'forbidden fruit, after', changedAt);
    expect(blocked.error).toMatchObject({ code: 'BLOCKED_CONTENT', details: { terms: ['forbidden fruit'] } });
    expect(blocked.afterMs).toBeLessThan(allowance(1_250));
    // Slow mode came with the same change: the next comment, harmless as it is, waits.
    const slow = await emitAck(s, 'danmaku:send', { roomId: two.room.id, text: 'an innocent remark' });
    expect(slow.error.code).toBe('SLOW_MODE');
    expect(slow.error.details.retryAfterMs).toBeGreaterThan(50_000);
    // B answers the rules as A stored them.
    expect((await two.b.http.get(`/api/rooms/${two.room.id}/settings`).set('Authorization', two.mod.bearer)).body.settings).toMatchObject({ slowModeMs: 60_000, blockedTerms: [{ term: 'forbidden fruit', action: 'block' }] });
  });

  it('lifting slow mode on process B frees senders on process A within a second', async () => {
    const fan = await createAccount(two.b);
    const s = await two.connect(two.a, fan.token);
    await two.b.http.put(`/api/rooms/${two.room.id}/settings`).set('Authorization', two.mod.bearer).send({ slowModeMs: 60_000 }).expect(200);
    // Whatever A had cached, within a second it enforces slow mode too.
    const first = await untilRefused(s, 'one', Date.now());
    expect(first.error.code).toBe('SLOW_MODE');

    await two.b.http.put(`/api/rooms/${two.room.id}/settings`).set('Authorization', two.mod.bearer).send({ slowModeMs: 0 }).expect(200);
    const liftedAt = Date.now();
    for (;;) {
      const ack = await emitAck(s, 'danmaku:send', { roomId: two.room.id, text: 'free again' });
      if (ack.ok) break;
      expect(ack.error.code).toBe('SLOW_MODE');
      expect(Date.now() - liftedAt).toBeLessThan(allowance(1_250));
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(Date.now() - liftedAt).toBeLessThan(allowance(1_250));
  });

  it('two admins replacing the global term list at once, on two processes, both succeed and one list wins whole', async () => {
    const admin = await createAccount(two.a, 'admin');
    const lists = Array.from({ length: 6 }, (_, i) => [{ term: `list ${i} first`, action: 'block' }, { term: `list ${i} second`, action: 'hold' }, { term: 'shared term', action: 'censor' }]);
    const answers = await Promise.all(lists.map((terms, i) => (i % 2 ? two.a : two.b).http.put('/api/moderation/terms').set('Authorization', admin.bearer).send({ terms })));
    expect(answers.map((r) => r.status)).toEqual(lists.map(() => 200));
    const stored = (await two.a.http.get('/api/moderation/terms').set('Authorization', admin.bearer)).body.terms as Array<{ term: string }>;
    const names = stored.map((t) => t.term).sort();
    expect(lists.map((l) => l.map((t) => t.term).sort())).toContainEqual(names);
  });
});
