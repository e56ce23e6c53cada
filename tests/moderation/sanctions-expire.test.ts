import { describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app.js';
import { createAccount } from '../support/accounts.js';
import { connectSocket, emitAck } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';

describe('sanctions over time', () => {
  it('an expired mute ends by itself, with nothing running; a room mute does not silence other rooms', async () => {
    // The server clock is the one outer edge tests may move.
    let offset = 0;
    const app = await startTestApp({ clock: { now: () => Date.now() + offset }, env: { DANMAKU_USER_INTERVAL_MS: '0' } });
    try {
      const mod = await createAccount(app, 'moderator');
      const room = await createRoom(app, mod);
      const other = await createRoom(app, mod);
      const fan = await createAccount(app);
      const s = await connectSocket(app.url, { token: fan.token });
      await app.http
        .post('/api/moderation/actions')
        .set('Authorization', mod.bearer)
        .send({ targetType: 'user', targetId: fan.user.id, action: 'mute', reason: 'heated', durationMs: 20_000, roomId: room.id })
        .expect(201);
      const muted = await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'still muted?' });
      expect(muted.error.code).toBe('MUTED');
      expect(Date.parse(new Date(muted.error.details.until).toISOString())).toBeGreaterThan(Date.now());
      expect((await emitAck(s, 'danmaku:send', { roomId: other.id, text: 'another room' })).ok).toBe(true);
      // 21 s later: well inside the minute between two full readings of the sanctions; the mute ends by its own time.
      offset = 21_000;
      expect((await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'the mute is over' })).ok).toBe(true);
      s.close();
    } finally {
      await app.stop();
    }
  });

  it('only admins may sanction staff', async () => {
    const app = await startTestApp();
    try {
      const mod = await createAccount(app, 'moderator');
      const otherMod = await createAccount(app, 'moderator');
      const admin = await createAccount(app, 'admin');
      const act = (who: typeof mod, target: string) =>
        app.http.post('/api/moderation/actions').set('Authorization', who.bearer).send({ targetType: 'user', targetId: target, action: 'ban', reason: 'power struggle' });
      expect((await act(mod, otherMod.user.id)).status).toBe(403);
      expect((await act(mod, admin.user.id)).status).toBe(403);
      expect((await act(admin, otherMod.user.id)).status).toBe(201);
      expect((await app.http.post('/api/moderation/actions').set('Authorization', admin.bearer).send({ targetType: 'user', targetId: mod.user.id, action: 'hide', reason: 'x' })).body.error.code).toBe('VALIDATION_FAILED');
    } finally {
      await app.stop();
    }
  });
});
