import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount } from '../support/accounts.js';
import { connectSocket, emitAck, type ClientSocket } from '../support/sockets.js';

let app: TestApp;
const open: ClientSocket[] = [];
const track = (s: ClientSocket) => (open.push(s), s);
beforeAll(async () => {
  app = await startTestApp({ env: { SOCKET_MAX_BUFFER_BYTES: '4096' } });
});
afterAll(async () => {
  for (const s of open) s.close();
  await app?.stop();
});

describe('socket handshake', () => {
  it('a good token in auth.token connects as that account', async () => {
    const fan = await createAccount(app);
    const socket = track(await connectSocket(app.url, { token: fan.token }));
    const ack = await emitAck(socket, 'session:whoami', {});
    expect(ack).toEqual({ ok: true, user: fan.user });
  });

  it('the web client cookie authenticates the socket too', async () => {
    const fan = await createAccount(app);
    const socket = track(await connectSocket(app.url, { cookie: `lotus_token=${fan.token}` }));
    const ack = await emitAck(socket, 'session:whoami', {});
    expect(ack.user.id).toBe(fan.user.id);
  });

  it('a bad or revoked token is refused with UNAUTHENTICATED', async () => {
    const err = await connectSocket(app.url, { token: 'garbage.token.value' }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.data).toEqual({ code: 'UNAUTHENTICATED', message: expect.any(String) });

    const fan = await createAccount(app);
    await app.http.post('/api/auth/logout').set('Authorization', fan.bearer).expect(204);
    const revoked = await connectSocket(app.url, { token: fan.token }).catch((e) => e);
    expect(revoked.data?.code).toBe('UNAUTHENTICATED');
  });

  it('a guest connects read-only: watching works, writing is UNAUTHENTICATED', async () => {
    const guest = track(await connectSocket(app.url));
    expect(await emitAck(guest, 'session:whoami', {})).toEqual({ ok: true, user: null });
    const pong = await emitAck(guest, 'clock:ping', { t0: 123 });
    expect(pong).toEqual({ ok: true, t0: 123, serverTime: expect.any(Number) });
  });

  it('a stale cookie does not lock a guest out of watching', async () => {
    const guest = track(await connectSocket(app.url, { cookie: 'lotus_token=expired.or.garbage' }));
    expect(await emitAck(guest, 'session:whoami', {})).toEqual({ ok: true, user: null });
  });

  it('works over long-polling, for networks that refuse WebSockets, without the HTTP app answering those requests too', async () => {
    const fan = await createAccount(app);
    const socket = track(await connectSocket(app.url, { token: fan.token, transports: ['polling'] }));
    expect(socket.io.engine.transport.name).toBe('polling');
    for (let i = 0; i < 3; i++) expect(await emitAck(socket, 'session:whoami', {})).toEqual({ ok: true, user: fan.user });
    const health = await app.http.get('/healthz');
    expect(health.status).toBe(200);
  });

  it('refuses browsers from other origins', async () => {
    const { io } = await import('socket.io-client');
    const socket = io(app.url, { transports: ['polling'], extraHeaders: { origin: 'https://evil.example' }, reconnection: false, forceNew: true });
    const err = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    socket.close();
    expect(err).toBeInstanceOf(Error);
  });
});

describe('socket payloads', () => {
  it('a malformed payload is VALIDATION_FAILED, not a crash', async () => {
    const socket = track(await connectSocket(app.url));
    for (const payload of [undefined, null, 'text', 42, [], { t0: 'soon' }, { t0: 1, extra: true }]) {
      const ack = await emitAck(socket, 'clock:ping', payload);
      expect(ack.ok, JSON.stringify(payload)).toBe(false);
      expect(ack.error.code).toBe('VALIDATION_FAILED');
    }
    // The connection is still healthy afterwards.
    expect((await emitAck(socket, 'clock:ping', { t0: 1 })).ok).toBe(true);
  });

  it('an unknown room is NOT_FOUND', async () => {
    const socket = track(await connectSocket(app.url));
    const ack = await emitAck(socket, 'room:join', { roomId: '00000000-0000-4000-8000-000000000000' });
    expect(ack).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'room not found' } });
  });

  it('an oversized frame closes only that connection; the server keeps serving', async () => {
    const socket = await connectSocket(app.url);
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    socket.emit('clock:ping', { t0: 1, pad: 'x'.repeat(10_000) });
    expect(await closed).toBeDefined();
    socket.close();
    const fresh = track(await connectSocket(app.url));
    expect((await emitAck(fresh, 'clock:ping', { t0: 2 })).ok).toBe(true);
  });
});
