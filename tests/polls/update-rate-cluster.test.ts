import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, startTestApp, type TestApp } from '../support/app.js';
import { createAccount, createFans, type Account } from '../support/accounts.js';
import { connectSocket, emitAck, nextEvent, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import { allowance } from '../support/allowance.js';
import { eventually } from '../support/workers.js';
import { POLL_PUSH_WINDOW_MS } from '../../server/features/polls/index.js';
import type { Room } from '../../contracts/rooms.js';

/** Votes per server process, sent one every STEP_MS alternately to each: about 2.4 s of steady voting. */
const VOTERS_PER_SERVER = 80;
const STEP_MS = 15;
/** Slack for the delivery of one push (its database read and the hop between processes). */
const JITTER_MS = 100;

describe('poll:update rate across two server processes', () => {
  const iso = isolation('pollrate');
  let a: TestApp;
  let b: TestApp;
  let mod: Account;
  let room: Room;
  const sockets: ClientSocket[] = [];
  const on = async (url: string, token?: string) => {
    const s = await connectSocket(url, { token });
    sockets.push(s);
    await emitAck(s, 'room:join', { roomId: room.id }).then((ack) => expect(ack.ok).toBe(true));
    return s;
  };

  beforeAll(async () => {
    a = await startTestApp({ shared: iso });
    b = await startTestApp({ shared: iso });
    mod = await createAccount(a, 'moderator');
    room = await createRoom(a, mod);
  }, allowance(60_000));
  afterAll(async () => {
    for (const s of sockets) s.close();
    await b?.stop();
    await a?.stop();
  });

  it('sends at most four updates a second per poll to viewers on either process while votes arrive on both', { timeout: allowance(90_000) }, async () => {
    const fans = await createFans(a, VOTERS_PER_SERVER * 2);
    const voters = await Promise.all(fans.map((f, i) => on(i % 2 === 0 ? a.url : b.url, f.token)));
    const viewers = await Promise.all([on(a.url), on(b.url)]);
    const heard: Array<Array<{ at: number; version: number; total: number }>> = viewers.map(() => []);
    viewers.forEach((s, i) => s.on('poll:update', (p: any) => heard[i].push({ at: performance.now(), version: p.version, total: p.total })));

    const created = await a.http
      .post(`/api/rooms/${room.id}/polls`)
      .set('Authorization', mod.bearer)
      .send({ question: 'Which ending?', options: ['Dawn', 'Dusk'], durationMs: 600_000 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const pollId = created.body.poll.id;
    await a.http.post(`/api/polls/${pollId}/open`).set('Authorization', mod.bearer).expect(200);

    // Steady voting, alternating between the two processes, so both take push locks in the same windows.
    const acks = await Promise.all(
      voters.map(
        (s, i) =>
          new Promise<any>((resolve, reject) =>
            setTimeout(() => s.timeout(allowance(20_000)).emitWithAck('poll:vote', { pollId, optionIds: [`o${(i % 2) + 1}`] }).then(resolve, reject), i * STEP_MS),
          ),
      ),
    );
    expect(acks.filter((x) => !x.ok)).toEqual([]);
    // The last window's push carries every vote.
    await Promise.all(heard.map((updates) => eventually(async () => updates.at(-1)?.total === voters.length)));

    const closed = viewers.map((s) => nextEvent(s, 'poll:closed', (p: any) => p.poll.id === pollId));
    await a.http.post(`/api/polls/${pollId}/close`).set('Authorization', mod.bearer).expect(200);
    for (const c of await Promise.all(closed)) expect(c.total).toBe(voters.length);

    for (const updates of heard) {
      // Each push reached both processes' viewers once: one per window for the whole cluster, not one per process.
      expect(updates.map((u) => u.version)).toEqual(heard[0].map((u) => u.version));
      // Enough windows to mean something: voting lasted over two seconds.
      expect(updates.length).toBeGreaterThanOrEqual(6);
      // Any five consecutive updates span at least a second (less delivery jitter): never five in one second.
      for (let i = 4; i < updates.length; i++) {
        expect(updates[i].at - updates[i - 4].at, `updates ${i - 4}..${i}`).toBeGreaterThanOrEqual(4 * POLL_PUSH_WINDOW_MS - JITTER_MS);
      }
      // Counts only grow.
      for (let i = 1; i < updates.length; i++) expect(updates[i].version).toBeGreaterThanOrEqual(updates[i - 1].version);
    }
  });
});
