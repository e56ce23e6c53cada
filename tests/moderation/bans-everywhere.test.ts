import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { connectSocket, emitAck, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import type { Room } from '../../contracts/rooms.js';

// A ban stops everything its subject writes in its scope, not only danmaku: poll votes, proposals and proposal votes.
let app: TestApp;
let workers: Awaited<ReturnType<typeof startTestWorkers>>;
let mod: Account;
let room: Room;
let other: Room;
const sockets: ClientSocket[] = [];
const IP = 'Banned Saga';

beforeAll(async () => {
  app = await startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0' } });
  workers = await startTestWorkers(app);
  mod = await createAccount(app, 'moderator');
  [room, other] = await Promise.all([createRoom(app, mod), createRoom(app, mod)]);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await workers?.close();
  await app?.stop();
});

const act = (body: object) => app.http.post('/api/moderation/actions').set('Authorization', mod.bearer).send({ targetType: 'user', reason: 'raiding', ...body });
const submit = (who: Account, extra: object = {}) =>
  app.http.post('/api/proposals').set('Authorization', who.bearer).send({ ip: IP, title: 'Where the river ends', body: '<p>Mei follows the river to the sea.</p>', ...extra });
const voteProposal = (who: Account, id: string) => app.http.post(`/api/proposals/${id}/vote`).set('Authorization', who.bearer).send({ value: 1 });

async function openPoll(roomId: string): Promise<string> {
  const created = await app.http.post(`/api/rooms/${roomId}/polls`).set('Authorization', mod.bearer).send({ question: 'Who is the traitor?', options: ['Mei', 'Wen'], durationMs: 600_000 });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await app.http.post(`/api/polls/${created.body.poll.id}/open`).set('Authorization', mod.bearer).expect(200);
  return created.body.poll.id;
}

async function approvedProposal(): Promise<string> {
  const res = await submit(await createAccount(app));
  expect(res.status).toBe(202);
  return eventually(async () => {
    const p = (await app.http.get(`/api/proposals/${res.body.proposal.id}`).set('Authorization', mod.bearer)).body.proposal;
    return p?.status === 'approved' && p.id;
  });
}

async function fanSocket(fan: Account) {
  const s = await connectSocket(app.url, { token: fan.token });
  sockets.push(s);
  return s;
}

describe('a ban covers everything its subject writes', () => {
  it('banned everywhere: no poll vote, no proposal, no proposal vote, no danmaku; unbanned, all of them work again', async () => {
    const fan = await createAccount(app);
    const s = await fanSocket(fan);
    const [pollA, pollB, proposalId] = await Promise.all([openPoll(room.id), openPoll(other.id), approvedProposal()]);

    await act({ targetId: fan.user.id, action: 'ban' }).expect(201);
    const vote = await emitAck(s, 'poll:vote', { pollId: pollA, optionIds: ['o1'] });
    expect(vote).toMatchObject({ ok: false, error: { code: 'BANNED' } });
    const proposal = await submit(fan);
    expect(proposal.status).toBe(403);
    expect(proposal.body.error.code).toBe('BANNED');
    const support = await voteProposal(fan, proposalId);
    expect(support.status).toBe(403);
    expect(support.body.error.code).toBe('BANNED');
    expect((await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'let me in' })).error.code).toBe('BANNED');
    // Nothing of it was counted.
    const poll = (await app.http.get(`/api/polls/${pollA}`).set('Authorization', mod.bearer)).body;
    expect(poll.tallies).toEqual({ o1: 0, o2: 0 });

    await act({ targetId: fan.user.id, action: 'unban' }).expect(201);
    expect(await emitAck(s, 'poll:vote', { pollId: pollA, optionIds: ['o1'] })).toMatchObject({ ok: true });
    expect(await emitAck(s, 'poll:vote', { pollId: pollB, optionIds: ['o2'] })).toMatchObject({ ok: true });
    expect((await submit(fan)).status).toBe(202);
    expect((await voteProposal(fan, proposalId)).status).toBe(200);
  });

  it('banned in one room: no vote in its polls, but polls elsewhere and proposals not tied to it go on', async () => {
    const fan = await createAccount(app);
    const s = await fanSocket(fan);
    const [here, elsewhere] = await Promise.all([openPoll(room.id), openPoll(other.id)]);
    await act({ targetId: fan.user.id, action: 'ban', roomId: room.id, durationMs: 3_600_000 }).expect(201);

    const refused = await emitAck(s, 'poll:vote', { pollId: here, optionIds: ['o2'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BANNED' } });
    expect(refused.error.details.until).toBeGreaterThan(Date.now());
    expect(await emitAck(s, 'poll:vote', { pollId: elsewhere, optionIds: ['o2'] })).toMatchObject({ ok: true });
    expect((await submit(fan, { roomId: room.id, atOffsetMs: 1_000 })).body.error?.code).toBe('BANNED');
    expect((await submit(fan, { title: 'Not about that premiere' })).status).toBe(202);
  });
});
