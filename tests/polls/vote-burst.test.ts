import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, createFans, type Account } from '../support/accounts.js';
import { connectSocket, emitAck, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import { allowance } from '../support/allowance.js';
import type { Room } from '../../contracts/rooms.js';

const VOTERS = 1_000;

let app: TestApp;
let mod: Account;
let room: Room;
let voters: ClientSocket[] = [];

/** Connects one real Socket.IO client per account, a hundred handshakes at a time. */
async function connectAll(tokens: string[]): Promise<ClientSocket[]> {
  const sockets: ClientSocket[] = [];
  for (let i = 0; i < tokens.length; i += 100) {
    sockets.push(...(await Promise.all(tokens.slice(i, i + 100).map((token) => connectSocket(app.url, { token })))));
  }
  return sockets;
}

async function openPoll(): Promise<{ id: string }> {
  const created = await app.http
    .post(`/api/rooms/${room.id}/polls`)
    .set('Authorization', mod.bearer)
    .send({ question: 'Which ending?', options: ['Dawn', 'Dusk', 'Rain'], durationMs: 600_000 });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await app.http.post(`/api/polls/${created.body.poll.id}/open`).set('Authorization', mod.bearer).expect(200);
  return created.body.poll;
}

// Generous: the point is that every vote is answered, not how fast on a shared two-core machine.
const vote = (s: ClientSocket, pollId: string, option: string) => s.timeout(allowance(20_000)).emitWithAck('poll:vote', { pollId, optionIds: [option] });

beforeAll(async () => {
  // The default pool is 10; the test app's is 5, so a burst must not need one connection per vote.
  app = await startTestApp();
  mod = await createAccount(app, 'moderator');
  room = await createRoom(app, mod);
  voters = await connectAll((await createFans(app, VOTERS)).map((f) => f.token));
}, allowance(120_000));

afterAll(async () => {
  for (const s of voters) s.close();
  await app?.stop();
});

describe('a burst of votes', () => {
  it('a thousand accounts voting at once are all accepted, and the final tally equals the ok acks', async () => {
    const poll = await openPoll();
    const choice = (i: number) => `o${(i % 3) + 1}`;
    // Every fifth account double-submits a different option in the same instant.
    const acks = await Promise.all(
      voters.flatMap((s, i) => (i % 5 === 0 ? [vote(s, poll.id, choice(i)), vote(s, poll.id, choice(i + 1))] : [vote(s, poll.id, choice(i))])),
    );
    const ok = acks.filter((a) => a.ok);
    const refused = acks.filter((a) => !a.ok).map((a) => a.error.code);
    expect(refused.filter((c) => c !== 'ALREADY_VOTED')).toEqual([]);
    expect(ok).toHaveLength(VOTERS);
    expect(refused).toHaveLength(VOTERS / 5);

    const expected = { o1: 0, o2: 0, o3: 0 } as Record<string, number>;
    for (const a of ok) expected[a.optionIds[0]]++;
    const closed = await app.http.post(`/api/polls/${poll.id}/close`).set('Authorization', mod.bearer).expect(200);
    expect(closed.body).toMatchObject({ tallies: expected, total: VOTERS });
    // Every ok ack is that account's one counted row, with the option it was told.
    const rows = await app.deps.db.pool.query('select user_id, option_ids from poll_votes where poll_id = $1', [poll.id]);
    expect(rows.rowCount).toBe(VOTERS);
  }, allowance(90_000));

  it('closing in the middle of a burst: every ok ack is counted, every other vote is POLL_CLOSED', async () => {
    const poll = await openPoll();
    const pending = voters.map((s, i) => vote(s, poll.id, `o${(i % 3) + 1}`));
    const closing = app.http.post(`/api/polls/${poll.id}/close`).set('Authorization', mod.bearer);
    const [acks, closed] = await Promise.all([Promise.all(pending), closing]);
    expect(closed.status).toBe(200);
    const ok = acks.filter((a) => a.ok).length;
    expect(acks.filter((a) => !a.ok).every((a) => a.error.code === 'POLL_CLOSED')).toBe(true);
    expect(closed.body.total).toBe(ok);
    const read = await app.http.get(`/api/polls/${poll.id}`);
    expect(read.body.total).toBe(ok);
    // A straggler after the close is refused, not counted.
    expect((await emitAck(voters[0], 'poll:vote', { pollId: poll.id, optionIds: ['o1'] })).ok).toBe(false);
  }, allowance(90_000));
});
