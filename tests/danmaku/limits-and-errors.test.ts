import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { connectSocket, emitAck, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import type { Room } from '../../contracts/rooms.js';

let app: TestApp;
let mod: Account;
let room: Room;
const sockets: ClientSocket[] = [];
async function fanSocket(role: 'fan' | 'moderator' = 'fan') {
  const account = await createAccount(app, role);
  const socket = await connectSocket(app.url, { token: account.token });
  sockets.push(socket);
  return { account, socket };
}
const send = (s: ClientSocket, payload: unknown) => emitAck(s, 'danmaku:send', payload);

beforeAll(async () => {
  app = await startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '2000', DANMAKU_PER_IP_PER_10S: '1000' } });
  mod = await createAccount(app, 'moderator');
  room = await createRoom(app, mod, { agoMs: 5_000 });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await app?.stop();
});

describe('danmaku input', () => {
  it('guests cannot send: UNAUTHENTICATED', async () => {
    const guest = await connectSocket(app.url);
    sockets.push(guest);
    const ack = await send(guest, { roomId: room.id, text: 'hi' });
    expect(ack).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
  });

  it('rejects wrong types, empty and oversized text, control characters, bad colours and modes', async () => {
    const { socket } = await fanSocket();
    const bad = [
      undefined,
      'text',
      { roomId: room.id },
      { roomId: room.id, text: 42 },
      { roomId: room.id, text: '   ' },
      { roomId: room.id, text: 'x'.repeat(101) },
      { roomId: room.id, text: 'x'.repeat(10_000) },
      { roomId: room.id, text: 'bell\u0007' },
      { roomId: room.id, text: 'nul\u0000' },
      { roomId: room.id, text: 'half a character \ud83d' },
      { roomId: room.id, text: '😂'.repeat(101) },
      // A zero-width joiner between letters hides a word from filters; only emoji sequences may hold one.
      { roomId: room.id, text: 'b\u200Dad' },
      { roomId: room.id, text: '😂\u200D' },
      // A tag character outside a subdivision flag.
      { roomId: room.id, text: 'a\u{E0067}' },
      // Zalgo: six combining marks stacked on one letter paint over the lines around it.
      { roomId: room.id, text: 'z\u0315\u0316\u0317\u0318\u0319\u031A' },
      // Past the field's ceiling in UTF-16 units, refused before anything counts it.
      { roomId: room.id, text: '😂\u200D'.repeat(1_000) },
      { roomId: room.id, text: 'ok', color: 'red' },
      { roomId: room.id, text: 'ok', color: '#fff' },
      { roomId: room.id, text: 'ok', mode: 'reverse' },
      { roomId: room.id, text: 'ok', offsetMs: -1 },
      { roomId: 'not-a-uuid', text: 'ok' },
      { roomId: room.id, text: 'ok', userId: 'someone-else' },
    ];
    for (const payload of bad) {
      const ack = await send(socket, payload);
      expect(ack.ok, JSON.stringify(payload)?.slice(0, 80)).toBe(false);
      expect(ack.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('normalises text: full-width folds (NFKC), whitespace trims; 100 characters is the maximum', async () => {
    const { socket } = await fanSocket();
    const ack = await send(socket, { roomId: room.id, text: '  ＬＯＴＵＳ  ' });
    expect(ack.danmaku.text).toBe('LOTUS');
    const { socket: other } = await fanSocket();
    const max = await send(other, { roomId: room.id, text: '字'.repeat(100) });
    expect(max.ok).toBe(true);
  });

  it('counts characters as a reader does: an emoji, with its skin tone or joined into a family or flag, is one of the 100', async () => {
    const texts = [
      '😂'.repeat(100),
      '👨‍👩‍👧'.repeat(100),
      '这一段❤️‍🔥 love it 👍🏽 🏳️‍🌈 🏴󠁧󠁢󠁳󠁣󠁴󠁿 1️⃣',
      // Four marks on one letter (Vietnamese and keycaps need two or three) are writing, not Zalgo.
      'a\u0315\u0316\u0317\u0318',
    ];
    for (const text of texts) {
      const { socket } = await fanSocket();
      const ack = await send(socket, { roomId: room.id, text });
      expect(ack.ok, text.slice(0, 20)).toBe(true);
      expect(ack.danmaku.text).toBe(text.normalize('NFKC'));
    }
  });

  it('an unknown room is NOT_FOUND; a scheduled premiere is ROOM_NOT_LIVE', async () => {
    const { socket } = await fanSocket();
    expect((await send(socket, { roomId: '00000000-0000-4000-8000-000000000000', text: 'hi' })).error.code).toBe('NOT_FOUND');
    const later = await createRoom(app, mod, { startsAt: new Date(Date.now() + 3_600_000) });
    expect((await send(socket, { roomId: later.id, text: 'hi' })).error.code).toBe('ROOM_NOT_LIVE');
  });

  it('in a replay the offset is the client media time, checked against the duration', async () => {
    const replay = await createRoom(app, mod, { startsAt: new Date(Date.now() - 7_200_000), durationMs: 60_000 });
    const { socket } = await fanSocket();
    const ok = await send(socket, { roomId: replay.id, text: 'replay comment', offsetMs: 42_000 });
    expect(ok.danmaku.offsetMs).toBe(42_000);
    const { socket: other } = await fanSocket();
    const past = await send(other, { roomId: replay.id, text: 'too late', offsetMs: 61_000 });
    expect(past.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('danmaku limits', () => {
  it('one comment every 2 s per user: the second is RATE_LIMITED with retryAfterMs', async () => {
    const { socket } = await fanSocket();
    expect((await send(socket, { roomId: room.id, text: 'one' })).ok).toBe(true);
    const second = await send(socket, { roomId: room.id, text: 'two' });
    expect(second.error.code).toBe('RATE_LIMITED');
    expect(second.error.details.retryAfterMs).toBeGreaterThan(0);
    expect(second.error.details.retryAfterMs).toBeLessThanOrEqual(2_000);
  });

  it('a double submit with the same nonce returns the first danmaku and stores one', async () => {
    const { socket } = await fanSocket();
    const payload = { roomId: room.id, text: 'only once', nonce: 'nonce-abcdef-123' };
    const [a, b] = await Promise.all([send(socket, payload), send(socket, payload)]);
    const oks = [a, b].filter((x) => x.ok);
    expect(oks.length).toBeGreaterThanOrEqual(1);
    for (const x of [a, b]) if (!x.ok) expect(x.error.code).toBe('CONFLICT');
    const again = await send(socket, payload);
    expect(again.ok).toBe(true);
    expect(again.danmaku.id).toBe(oks[0].danmaku.id);
    // Inside the sender's pace window a new comment is refused, but the retry of the accepted one is not.
    expect((await send(socket, { roomId: room.id, text: 'something new' })).error.code).toBe('RATE_LIMITED');
    expect((await send(socket, payload)).danmaku.id).toBe(oks[0].danmaku.id);
  });

  it('room slow mode raises the gap for fans (SLOW_MODE) but not for staff', async () => {
    const slow = await createRoom(app, mod);
    await app.http.put(`/api/rooms/${slow.id}/settings`).set('Authorization', mod.bearer).send({ slowModeMs: 60_000 }).expect(200);
    const { socket } = await fanSocket();
    expect((await send(socket, { roomId: slow.id, text: 'first' })).ok).toBe(true);
    await app.deps.redis.del(app.deps.key('dm', 'pace', (await emitAck(socket, 'session:whoami', {})).user.id));
    const second = await send(socket, { roomId: slow.id, text: 'second' });
    expect(second.error.code).toBe('SLOW_MODE');
    expect(second.error.details.retryAfterMs).toBeGreaterThan(50_000);

    const staff = await connectSocket(app.url, { token: mod.token });
    sockets.push(staff);
    expect((await send(staff, { roomId: slow.id, text: 'staff 1' })).ok).toBe(true);
    await app.deps.redis.del(app.deps.key('dm', 'pace', mod.user.id));
    expect((await send(staff, { roomId: slow.id, text: 'staff 2' })).ok).toBe(true);
  });

  it('per-IP limit across accounts', async () => {
    const tight = await startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0', DANMAKU_PER_IP_PER_10S: '3' } });
    try {
      const staff = await createAccount(tight, 'moderator');
      const r = await createRoom(tight, staff);
      const codes: string[] = [];
      for (let i = 0; i < 5; i++) {
        const fan = await createAccount(tight);
        const s = await connectSocket(tight.url, { token: fan.token });
        const ack = await send(s, { roomId: r.id, text: `from account ${i}` });
        codes.push(ack.ok ? 'ok' : ack.error.code);
        s.close();
      }
      expect(codes).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
    } finally {
      await tight.stop();
    }
  });

  it('behind a trusted proxy the per-IP limit counts each viewer\'s own address; without one, X-Forwarded-For is ignored', async () => {
    const sendsFrom = async (target: TestApp, forwardedFor: string, count: number) => {
      const staff = await createAccount(target, 'moderator');
      const r = await createRoom(target, staff);
      const codes: string[] = [];
      for (let i = 0; i < count; i++) {
        const fan = await createAccount(target);
        const s = await connectSocket(target.url, { token: fan.token, headers: { 'x-forwarded-for': forwardedFor } });
        const ack = await send(s, { roomId: r.id, text: `via ${forwardedFor} ${i}` });
        codes.push(ack.ok ? 'ok' : ack.error.code);
        s.close();
      }
      return codes;
    };
    // One proxy (nginx) in front: each viewer's address is the one nginx appended.
    const proxied = await startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0', DANMAKU_PER_IP_PER_10S: '2', TRUST_PROXY: '1' } });
    try {
      expect(await sendsFrom(proxied, '203.0.113.7', 3)).toEqual(['ok', 'ok', 'RATE_LIMITED']);
      // Another viewer behind the same proxy has a budget of their own; a forged entry to the left is not believed.
      expect(await sendsFrom(proxied, '198.51.100.1, 203.0.113.8', 2)).toEqual(['ok', 'ok']);
      expect(await sendsFrom(proxied, '198.51.100.1, 203.0.113.7', 1)).toEqual(['RATE_LIMITED']);
    } finally {
      await proxied.stop();
    }
    // No proxy trusted: a client cannot pick its own address by sending the header.
    const direct = await startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0', DANMAKU_PER_IP_PER_10S: '2' } });
    try {
      expect(await sendsFrom(direct, '203.0.113.7', 2)).toEqual(['ok', 'ok']);
      expect(await sendsFrom(direct, '203.0.113.9', 1)).toEqual(['RATE_LIMITED']);
    } finally {
      await direct.stop();
    }
  });

  it('accounts younger than the room minimum get ACCOUNT_TOO_NEW', async () => {
    const strict = await createRoom(app, mod);
    await app.http.put(`/api/rooms/${strict.id}/settings`).set('Authorization', mod.bearer).send({ minAccountAgeMs: 86_400_000 }).expect(200);
    const { socket } = await fanSocket();
    expect((await send(socket, { roomId: strict.id, text: 'new here' })).error.code).toBe('ACCOUNT_TOO_NEW');
  });
});

describe('blocked terms', () => {
  it('block rejects (BLOCKED_CONTENT), censor masks, hold shows the comment only to its sender', async () => {
    const r = await createRoom(app, mod);
    await app.http
      .put(`/api/rooms/${r.id}/settings`)
      .set('Authorization', mod.bearer)
      .send({ blockedTerms: [{ term: '剧透', action: 'block' }, { term: 'darn', action: 'censor' }, { term: 'buy followers', action: 'hold' }] })
      .expect(200);
    const { socket: sender } = await fanSocket();
    const watcher = await connectSocket(app.url);
    sockets.push(watcher);
    await emitAck(watcher, 'room:join', { roomId: r.id });
    const seen: string[] = [];
    watcher.on('danmaku:batch', (b: any) => seen.push(...b.items.map((d: any) => d.text)));

    // Traditional characters fold to simplified: 劇透 is 剧透.
    const blocked = await send(sender, { roomId: r.id, text: '前方劇透!' });
    expect(blocked.error.code).toBe('BLOCKED_CONTENT');

    const { socket: s2 } = await fanSocket();
    const censored = await send(s2, { roomId: r.id, text: 'oh DARN it' });
    expect(censored.danmaku.text).toBe('oh **** it');

    const { socket: s3 } = await fanSocket();
    const held = await send(s3, { roomId: r.id, text: 'Buy followers here' });
    expect(held.ok).toBe(true);
    expect(held.danmaku.held).toBe(true);

    const { socket: s4 } = await fanSocket();
    await send(s4, { roomId: r.id, text: 'marker after the others' });
    await new Promise<void>((resolve) => {
      const check = () => (seen.includes('marker after the others') ? resolve() : setTimeout(check, 20));
      check();
    });
    expect(seen).toContain('oh **** it');
    expect(seen).not.toContain('Buy followers here');
  });

  it('the global list applies everywhere and only admins may edit it', async () => {
    const admin = await createAccount(app, 'admin');
    expect((await app.http.put('/api/moderation/terms').set('Authorization', mod.bearer).send({ terms: [] })).status).toBe(403);
    await app.http.put('/api/moderation/terms').set('Authorization', admin.bearer).send({ terms: [{ term: 'spoilerword', action: 'block' }] }).expect(200);
    const test = await app.http.post('/api/moderation/terms/test').set('Authorization', mod.bearer).send({ text: 'a SPOILERWORD here' });
    expect(test.body.verdict.action).toBe('block');
    // Rules are cached for at most a second per process.
    await new Promise((r) => setTimeout(r, 1_100));
    const { socket } = await fanSocket();
    expect((await send(socket, { roomId: room.id, text: 'spoilerword!' })).error.code).toBe('BLOCKED_CONTENT');
    await app.http.put('/api/moderation/terms').set('Authorization', admin.bearer).send({ terms: [] }).expect(200);
  });
});
