import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { connectSocket, emitAck, nextEvent, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import { createRelayEmitter } from '../../server/realtime/relay.js';
import { RoomPolls, type PollLink } from '../../client/src/polls/room-polls.js';
import type { Room } from '../../contracts/rooms.js';

let app: TestApp;
let mod: Account;
let room: Room;
const sockets: ClientSocket[] = [];

async function joined(token?: string) {
  const socket = await connectSocket(app.url, { token });
  sockets.push(socket);
  const ack = await emitAck(socket, 'room:join', { roomId: room.id });
  expect(ack.ok).toBe(true);
  return { socket, ack };
}
const createPoll = async (extra: object = {}, roomId = room.id) => {
  const res = await app.http
    .post(`/api/rooms/${roomId}/polls`)
    .set('Authorization', mod.bearer)
    .send({ question: 'Who is the traitor?', options: ['Mei', 'Wen'], durationMs: 600_000, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.poll;
};
const open = (pollId: string) => app.http.post(`/api/polls/${pollId}/open`).set('Authorization', mod.bearer);

beforeAll(async () => {
  app = await startTestApp();
  mod = await createAccount(app, 'moderator');
  room = await createRoom(app, mod);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await app?.stop();
});

describe('poll events', () => {
  it('staff hear poll:created for a new draft in their staff room; fans do not', async () => {
    const staff = await joined(mod.token);
    const fan = await joined((await createAccount(app)).token);
    const fanHeard: unknown[] = [];
    fan.socket.on('poll:created', (p) => fanHeard.push(p));
    const heard = nextEvent(staff.socket, 'poll:created');
    const poll = await createPoll();
    expect(await heard).toMatchObject({ poll: { id: poll.id, status: 'draft' }, version: expect.any(Number) });
    // The fan's socket sees the poll only once it opens; anything for it would have arrived by then.
    const fanOpened = nextEvent(fan.socket, 'poll:opened', (p: any) => p.poll.id === poll.id);
    await open(poll.id).expect(200);
    await fanOpened;
    expect(fanHeard).toEqual([]);
  });

  it('poll:opened carries the current results: tallies for live polls, only the total for fans of after_close polls', async () => {
    const staff = await joined(mod.token);
    const fan = await joined((await createAccount(app)).token);
    const live = await createPoll();
    const liveOpened = nextEvent(fan.socket, 'poll:opened', (p: any) => p.poll.id === live.id);
    await open(live.id).expect(200);
    expect(await liveOpened).toMatchObject({ poll: { status: 'open' }, tallies: { o1: 0, o2: 0 }, total: 0 });

    const hidden = await createPoll({ resultsVisibility: 'after_close' });
    const fanOpened = nextEvent(fan.socket, 'poll:opened', (p: any) => p.poll.id === hidden.id);
    const staffOpened = nextEvent(staff.socket, 'poll:opened', (p: any) => p.poll.id === hidden.id && p.tallies);
    await open(hidden.id).expect(200);
    const forFan = await fanOpened;
    expect(forFan.total).toBe(0);
    expect(forFan.tallies).toBeUndefined();
    expect((await staffOpened).tallies).toEqual({ o1: 0, o2: 0 });
  });

  it('every poll event carries a version, and a closed poll outranks any live update', async () => {
    const viewer = await joined();
    const voter = await joined((await createAccount(app)).token);
    const poll = await createPoll();
    const opened = nextEvent(viewer.socket, 'poll:opened', (p: any) => p.poll.id === poll.id);
    await open(poll.id).expect(200);
    const update = nextEvent(viewer.socket, 'poll:update', (p: any) => p.poll.id === poll.id);
    expect((await emitAck(voter.socket, 'poll:vote', { pollId: poll.id, optionIds: ['o2'] })).ok).toBe(true);
    const closed = nextEvent(viewer.socket, 'poll:closed', (p: any) => p.poll.id === poll.id);
    const [o, u] = [await opened, await update];
    await app.http.post(`/api/polls/${poll.id}/close`).set('Authorization', mod.bearer).expect(200);
    const c = await closed;
    expect(o.version).toBeLessThan(u.version);
    expect(u.version).toBeLessThan(c.version);
    // Reads carry versions on the same scale.
    expect((await app.http.get(`/api/polls/${poll.id}`)).body.version).toBe(c.version);
  });

  it('the client ignores a poll:update that arrives after poll:closed', async () => {
    const { socket, ack } = await joined();
    const link: PollLink = {
      listen(event, handler) {
        socket.on(event, handler as never);
        return () => socket.off(event, handler as never);
      },
      request: (event, payload) => socket.emitWithAck(event, payload),
    };
    const polls = new RoomPolls(room.id, link);
    polls.joined(ack.polls);
    const voter = await joined((await createAccount(app)).token);
    const poll = await createPoll();
    await open(poll.id).expect(200);
    const update = nextEvent(socket, 'poll:update', (p: any) => p.poll.id === poll.id);
    await emitAck(voter.socket, 'poll:vote', { pollId: poll.id, optionIds: ['o1'] });
    const live = await update;
    const closed = nextEvent(socket, 'poll:closed', (p: any) => p.poll.id === poll.id);
    await app.http.post(`/api/polls/${poll.id}/close`).set('Authorization', mod.bearer).expect(200);
    const final = await closed;
    expect(polls.find(poll.id)).toMatchObject({ poll: { status: 'closed' }, tallies: { o1: 1, o2: 0 }, total: 1 });

    // Late news through the real relay, as a slow process would deliver it: the live update
    // from before the close, and one that already reads the poll as closed (past its deadline).
    const relay = createRelayEmitter(app.deps.redis, app.deps.key('relay'));
    const late = [live, { ...live, poll: final.poll, tallies: { o1: 0, o2: 7 }, total: 7 }];
    for (const payload of late) {
      const arrived = nextEvent(socket, 'poll:update', (p: any) => p.poll.id === poll.id);
      await relay.toRoom(`room:${room.id}`, 'poll:update', payload);
      await arrived;
    }
    expect(polls.find(poll.id)).toMatchObject({ poll: { status: 'closed' }, tallies: { o1: 1, o2: 0 }, total: 1, version: final.version });
    polls.stop();
  });
});

describe('polls after the premiere', () => {
  /** A premiere that ends `inMs` from now: drafts can be made in it, then it is over. */
  const endingSoon = (inMs = 3_000) => createRoom(app, mod, { startsAt: new Date(Date.now() - 60_000 + inMs), durationMs: 60_000 });
  const ended = (roomId: string) => eventually(async () => (await app.http.get(`/api/rooms/${roomId}`)).body.room.status === 'ended', 15_000);

  it('staff cannot create a poll once the premiere has ended: ROOM_NOT_LIVE, and nothing is stored', async () => {
    const over = await createRoom(app, mod, { startsAt: new Date(Date.now() - 120_000), durationMs: 60_000 });
    const staff = await joined(mod.token);
    const heard: unknown[] = [];
    staff.socket.on('poll:created', (p) => heard.push(p));
    const res = await app.http.post(`/api/rooms/${over.id}/polls`).set('Authorization', mod.bearer).send({ question: 'Too late?', options: ['Yes', 'No'], durationMs: 60_000 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ROOM_NOT_LIVE');
    // Also with a moment inside the premiere.
    const scheduled = await app.http.post(`/api/rooms/${over.id}/polls`).set('Authorization', mod.bearer).send({ question: 'Too late?', options: ['Yes', 'No'], durationMs: 60_000, atOffsetMs: 1_000 });
    expect(scheduled.body.error.code).toBe('ROOM_NOT_LIVE');
    expect((await app.http.get(`/api/rooms/${over.id}/polls`).set('Authorization', mod.bearer)).body.polls).toEqual([]);
    // Before the start a poll is a pre-show question: allowed.
    const upcoming = await createRoom(app, mod, { startsAt: new Date(Date.now() + 3_600_000) });
    expect((await app.http.post(`/api/rooms/${upcoming.id}/polls`).set('Authorization', mod.bearer).send({ question: 'Ready?', options: ['Yes', 'No'], durationMs: 60_000 })).status).toBe(201);
    expect(heard).toEqual([]);
  });

  it('staff cannot open a draft once the premiere has ended: ROOM_NOT_LIVE', async () => {
    const room = await endingSoon();
    const poll = await createPoll({}, room.id);
    await ended(room.id);
    const res = await open(poll.id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ROOM_NOT_LIVE');
    expect((await app.http.get(`/api/polls/${poll.id}`).set('Authorization', mod.bearer)).body.poll.status).toBe('draft');
  });

  it('a scheduled poll whose job runs only after the premiere ended stays a draft', async () => {
    // Its moment comes just before the end while no worker runs; the workers start after the end.
    const room = await endingSoon();
    const poll = await createPoll({ atOffsetMs: 58_000 }, room.id);
    await ended(room.id);
    const workers = await startTestWorkers(app);
    try {
      const job = await eventually(async () => {
        const j = await app.deps.queues.polls.getJob(`open-${poll.id}`);
        // Read again once it is completed: a copy read just before holds no return value yet.
        return j && (await j.isCompleted()) && app.deps.queues.polls.getJob(j.id!);
      });
      expect(job.returnvalue).toEqual({ opened: false, reason: 'ended' });
      expect((await app.http.get(`/api/polls/${poll.id}`).set('Authorization', mod.bearer)).body.poll.status).toBe('draft');
    } finally {
      await workers.close();
    }
  });

  it('a poll cannot be given a moment at or after the end of the premiere', async () => {
    const res = await app.http
      .post(`/api/rooms/${room.id}/polls`)
      .set('Authorization', mod.bearer)
      .send({ question: 'Too late?', options: ['Yes', 'No'], durationMs: 60_000, atOffsetMs: room.durationMs });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});
