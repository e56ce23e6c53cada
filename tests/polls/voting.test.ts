import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { connectSocket, emitAck, nextEvent, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import type { Room } from '../../contracts/rooms.js';

let app: TestApp;
let mod: Account;
let room: Room;
const sockets: ClientSocket[] = [];
async function fan() {
  const account = await createAccount(app);
  const socket = await connectSocket(app.url, { token: account.token });
  sockets.push(socket);
  return { account, socket };
}
const pollBody = (extra: object = {}) => ({ question: 'Who is the traitor?', options: ['Mei', 'Wen', 'An'], durationMs: 600_000, ...extra });
async function openPoll(extra: object = {}) {
  const created = await app.http.post(`/api/rooms/${room.id}/polls`).set('Authorization', mod.bearer).send(pollBody(extra));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const opened = await app.http.post(`/api/polls/${created.body.poll.id}/open`).set('Authorization', mod.bearer);
  expect(opened.status).toBe(200);
  return opened.body.poll;
}
const vote = (s: ClientSocket, pollId: string, optionIds: unknown) => emitAck(s, 'poll:vote', { pollId, optionIds });

beforeAll(async () => {
  app = await startTestApp();
  mod = await createAccount(app, 'moderator');
  room = await createRoom(app, mod);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await app?.stop();
});

describe('creating polls', () => {
  it('staff create drafts; fans and guests cannot create, open or close', async () => {
    const created = await app.http.post(`/api/rooms/${room.id}/polls`).set('Authorization', mod.bearer).send(pollBody());
    expect(created.body.poll).toMatchObject({ status: 'draft', kind: 'single', maxChoices: 1, options: [{ id: 'o1', text: 'Mei' }, { id: 'o2', text: 'Wen' }, { id: 'o3', text: 'An' }] });
    const { account } = await fan();
    expect((await app.http.post(`/api/rooms/${room.id}/polls`).set('Authorization', account.bearer).send(pollBody())).status).toBe(403);
    expect((await app.http.post(`/api/rooms/${room.id}/polls`).send(pollBody())).status).toBe(401);
    expect((await app.http.post(`/api/polls/${created.body.poll.id}/open`).set('Authorization', account.bearer)).status).toBe(403);
    expect((await app.http.post(`/api/polls/${created.body.poll.id}/close`).set('Authorization', account.bearer)).status).toBe(403);
    // A draft is the staff's plan: fans and guests cannot read it before it opens.
    expect((await app.http.get(`/api/polls/${created.body.poll.id}`).set('Authorization', account.bearer)).status).toBe(404);
    expect((await app.http.get(`/api/rooms/${room.id}/polls`)).body.polls.map((p: any) => p.poll.id)).not.toContain(created.body.poll.id);
    expect((await app.http.get(`/api/rooms/${room.id}/polls`).set('Authorization', mod.bearer)).body.polls.map((p: any) => p.poll.id)).toContain(created.body.poll.id);
  });

  it('validates options (2..6, distinct), duration (10 s .. 30 min) and choices', async () => {
    const bad = [
      pollBody({ options: ['only one'] }),
      pollBody({ options: ['1', '2', '3', '4', '5', '6', '7'] }),
      pollBody({ options: ['Same', 'same'] }),
      pollBody({ durationMs: 5_000 }),
      pollBody({ durationMs: 31 * 60_000 }),
      pollBody({ kind: 'multi', maxChoices: 4 }),
      pollBody({ kind: 'single', maxChoices: 2 }),
      pollBody({ question: '' }),
      pollBody({ atOffsetMs: 999_999_999 }),
    ];
    for (const body of bad) {
      const res = await app.http.post(`/api/rooms/${room.id}/polls`).set('Authorization', mod.bearer).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('voting', () => {
  it('one vote per account, final once cast: ALREADY_VOTED', async () => {
    const poll = await openPoll();
    const { socket } = await fan();
    expect(await vote(socket, poll.id, ['o2'])).toEqual({ ok: true, pollId: poll.id, optionIds: ['o2'] });
    expect((await vote(socket, poll.id, ['o1'])).error.code).toBe('ALREADY_VOTED');
    expect((await vote(socket, poll.id, ['o2'])).error.code).toBe('ALREADY_VOTED');
  });

  it('a double submit at the same instant counts once', async () => {
    const poll = await openPoll();
    const { socket } = await fan();
    const acks = await Promise.all([vote(socket, poll.id, ['o1']), vote(socket, poll.id, ['o1']), vote(socket, poll.id, ['o3'])]);
    expect(acks.filter((a) => a.ok)).toHaveLength(1);
    const closed = await app.http.post(`/api/polls/${poll.id}/close`).set('Authorization', mod.bearer);
    expect(closed.body.total).toBe(1);
  });

  it('unknown options, repeats, too many choices and wrong types are VALIDATION_FAILED', async () => {
    const single = await openPoll();
    const multi = await openPoll({ kind: 'multi', maxChoices: 2 });
    const { socket } = await fan();
    expect((await vote(socket, single.id, ['o9'])).error.code).toBe('VALIDATION_FAILED');
    expect((await vote(socket, single.id, ['o1', 'o2'])).error.code).toBe('VALIDATION_FAILED');
    expect((await vote(socket, multi.id, ['o1', 'o2', 'o3'])).error.code).toBe('VALIDATION_FAILED');
    expect((await vote(socket, multi.id, ['o1', 'o1'])).error.code).toBe('VALIDATION_FAILED');
    expect((await vote(socket, multi.id, 'o1')).error.code).toBe('VALIDATION_FAILED');
    expect((await vote(socket, multi.id, [])).error.code).toBe('VALIDATION_FAILED');
    expect((await emitAck(socket, 'poll:vote', { pollId: 'nope', optionIds: ['o1'] })).error.code).toBe('VALIDATION_FAILED');
    expect((await vote(socket, '00000000-0000-4000-8000-000000000000', ['o1'])).error.code).toBe('NOT_FOUND');
    // Nothing above was counted: the account can still vote properly.
    expect((await vote(socket, multi.id, ['o1', 'o3'])).ok).toBe(true);
  });

  it('guests cannot vote: UNAUTHENTICATED', async () => {
    const poll = await openPoll();
    const guest = await connectSocket(app.url);
    sockets.push(guest);
    expect((await vote(guest, poll.id, ['o1'])).error.code).toBe('UNAUTHENTICATED');
  });

  it('a vote on a draft or after close is POLL_CLOSED', async () => {
    const draft = (await app.http.post(`/api/rooms/${room.id}/polls`).set('Authorization', mod.bearer).send(pollBody())).body.poll;
    const { socket } = await fan();
    expect((await vote(socket, draft.id, ['o1'])).error.code).toBe('POLL_CLOSED');
    const poll = await openPoll();
    await app.http.post(`/api/polls/${poll.id}/close`).set('Authorization', mod.bearer).expect(200);
    expect((await vote(socket, poll.id, ['o1'])).error.code).toBe('POLL_CLOSED');
  });
});

describe('tallies', () => {
  it('concurrent votes from many clients give exact totals, and live and final tallies agree', async () => {
    const poll = await openPoll();
    const watcher = await connectSocket(app.url, { token: mod.token });
    sockets.push(watcher);
    await emitAck(watcher, 'room:join', { roomId: room.id });
    const voters = await Promise.all(Array.from({ length: 40 }, () => fan()));
    const updates: any[] = [];
    watcher.on('poll:update', (u: any) => u.poll.id === poll.id && updates.push({ ...u, receivedAt: Date.now() }));
    const choices = voters.map((_, i) => `o${(i % 3) + 1}`);
    const acks = await Promise.all(voters.map((v, i) => vote(v.socket, poll.id, [choices[i]])));
    expect(acks.every((a) => a.ok)).toBe(true);
    const expected = { o1: 14, o2: 13, o3: 13 };
    const live = await nextEvent(watcher, 'poll:update', (u: any) => u.poll.id === poll.id && u.total === 40, 5_000).catch(() => updates.at(-1));
    expect(live.tallies).toEqual(expected);
    const closedEvent = nextEvent(watcher, 'poll:closed', (c: any) => c.poll.id === poll.id);
    const closed = await app.http.post(`/api/polls/${poll.id}/close`).set('Authorization', mod.bearer);
    expect(closed.body).toMatchObject({ tallies: expected, total: 40 });
    expect((await closedEvent).tallies).toEqual(expected);
    expect((await app.http.get(`/api/polls/${poll.id}`)).body).toMatchObject({ tallies: expected, total: 40 });
    // Pushes are throttled to at most four a second per poll (one per 250 ms window).
    expect(updates.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < updates.length; i++) expect(updates[i].receivedAt - updates[i - 1].receivedAt).toBeGreaterThanOrEqual(200);
  });

  it('after_close hides tallies from fans until the end, but not from staff', async () => {
    const poll = await openPoll({ resultsVisibility: 'after_close' });
    const { account, socket } = await fan();
    await vote(socket, poll.id, ['o3']);
    const asFan = await app.http.get(`/api/polls/${poll.id}`).set('Authorization', account.bearer);
    expect(asFan.body.tallies).toBeUndefined();
    expect(asFan.body.myVote).toEqual(['o3']);
    const asGuest = await app.http.get(`/api/polls/${poll.id}`);
    expect(asGuest.body.tallies).toBeUndefined();
    const asStaff = await app.http.get(`/api/polls/${poll.id}`).set('Authorization', mod.bearer);
    expect(asStaff.body.tallies).toEqual({ o1: 0, o2: 0, o3: 1 });
    const fanUpdate = nextEvent(socket, 'poll:update', (u: any) => u.poll.id === poll.id);
    await emitAck(socket, 'room:join', { roomId: room.id });
    const other = await fan();
    await vote(other.socket, poll.id, ['o1']);
    expect((await fanUpdate).tallies).toBeUndefined();
    await app.http.post(`/api/polls/${poll.id}/close`).set('Authorization', mod.bearer).expect(200);
    expect((await app.http.get(`/api/polls/${poll.id}`).set('Authorization', account.bearer)).body.tallies).toEqual({ o1: 1, o2: 0, o3: 1 });
  });
});
