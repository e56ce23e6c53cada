import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { socketPool, type ClientSocket } from '../support/sockets.js';
import { allowance } from '../support/allowance.js';

/** One connection that loops an event is held to its budget; others, and the same one later, go on. */
describe('the per-connection event budget', () => {
  let app: TestApp;
  const sockets = socketPool(() => app.url);
  const open = () => sockets.open();
  beforeAll(async () => {
    app = await startTestApp({ env: { SOCKET_EVENTS_PER_S: '5', SOCKET_EVENTS_BURST: '10' } });
  });
  afterAll(async () => {
    sockets.closeAll();
    await app?.stop();
  });
  const ping = (s: ClientSocket) => s.timeout(allowance(5_000)).emitWithAck('clock:ping', { t0: 1 }) as Promise<any>;

  it('answers RATE_LIMITED with retryAfterMs past the burst, refills over time, and leaves other connections alone', async () => {
    const flood = await open();
    const acks = await Promise.all(Array.from({ length: 30 }, () => ping(flood)));
    const ok = acks.filter((a) => a.ok).length;
    // The burst, plus what refilled while the 30 were in flight (a few at 5 a second).
    expect(ok).toBeGreaterThanOrEqual(10);
    expect(ok).toBeLessThan(20);
    const refused = acks.filter((a) => !a.ok);
    for (const a of refused) {
      expect(a.error.code).toBe('RATE_LIMITED');
      expect(a.error.details.retryAfterMs).toBeGreaterThan(0);
      expect(a.error.details.retryAfterMs).toBeLessThanOrEqual(200);
    }
    // Garbage is held to the same budget before it is even parsed.
    expect((await flood.timeout(allowance(5_000)).emitWithAck('room:join', 'nonsense')) as any).toEqual({ ok: false, error: expect.objectContaining({ code: 'RATE_LIMITED' }) });

    // Another connection is untouched.
    expect((await ping(await open())).ok).toBe(true);
    // The flooder, after waiting what it was told, goes on; the connection was never dropped.
    await new Promise((r) => setTimeout(r, 400));
    expect((await ping(flood)).ok).toBe(true);
    expect(flood.connected).toBe(true);
  });
});
