import { describe, expect, it } from 'vitest';
import { isolation, startTestApp } from '../support/app.js';
import { createAccount } from '../support/accounts.js';
import { connectSocket, emitAck, nextEvent } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import { allowance } from '../support/allowance.js';

describe('server-side poll timing', () => {
  it('a deadline that passes while the server and workers are restarting still closes the poll', async () => {
    const iso = isolation('pollrestart');
    const first = await startTestApp({ shared: iso });
    const firstWorkers = await startTestWorkers(first);
    const mod = await createAccount(first, 'moderator');
    const room = await createRoom(first, mod);
    const poll = (await first.http.post(`/api/rooms/${room.id}/polls`).set('Authorization', mod.bearer).send({ question: 'Ending?', options: ['Happy', 'Sad'], durationMs: 10_000 })).body.poll;
    const opened = (await first.http.post(`/api/polls/${poll.id}/open`).set('Authorization', mod.bearer)).body.poll;
    const fan = await createAccount(first);
    const s = await connectSocket(first.url, { token: fan.token });
    expect((await emitAck(s, 'poll:vote', { pollId: poll.id, optionIds: ['o2'] })).ok).toBe(true);
    s.close();
    await firstWorkers.close();
    await first.stop();

    // Nothing runs while the deadline passes.
    const deadline = Date.parse(opened.closesAt);
    await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now() + 200)));

    const second = await startTestApp({ shared: iso });
    const secondWorkers = await startTestWorkers(second);
    try {
      const { rows } = await eventually(async () => {
        const r = await second.deps.db.pool.query('select status, final_tallies from polls where id = $1', [poll.id]);
        return r.rows[0]?.status === 'closed' && r;
      });
      expect(rows[0].final_tallies).toEqual({ o2: 1 });
      const read = await second.http.get(`/api/polls/${poll.id}`);
      expect(read.body).toMatchObject({ poll: { status: 'closed' }, tallies: { o1: 0, o2: 1 }, total: 1 });
    } finally {
      await secondWorkers.close();
      await second.stop();
    }
  }, allowance(40_000));

  it('the deadline closes the poll with nobody acting, and viewers get poll:closed counted down on the server clock', async () => {
    const app = await startTestApp();
    const workers = await startTestWorkers(app);
    try {
      const mod = await createAccount(app, 'moderator');
      const room = await createRoom(app, mod);
      const viewer = await connectSocket(app.url);
      await emitAck(viewer, 'room:join', { roomId: room.id });
      const poll = (await app.http.post(`/api/rooms/${room.id}/polls`).set('Authorization', mod.bearer).send({ question: 'Quick?', options: ['Yes', 'No'], durationMs: 10_000 })).body.poll;
      const openedEvent = nextEvent(viewer, 'poll:opened');
      await app.http.post(`/api/polls/${poll.id}/open`).set('Authorization', mod.bearer).expect(200);
      const opened = (await openedEvent).poll;
      expect(Date.parse(opened.closesAt) - Date.parse(opened.opensAt)).toBe(10_000);
      const closed = await nextEvent(viewer, 'poll:closed', (c: any) => c.poll.id === poll.id, 20_000);
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(opened.closesAt));
      expect(closed).toMatchObject({ poll: { status: 'closed' }, tallies: { o1: 0, o2: 0 }, total: 0 });
      viewer.close();
    } finally {
      await workers.close();
      await app.stop();
    }
  }, allowance(40_000));

  it('a poll with atOffsetMs opens by itself at that moment and stays in the replay with its results', async () => {
    const app = await startTestApp();
    const workers = await startTestWorkers(app);
    try {
      const mod = await createAccount(app, 'moderator');
      const room = await createRoom(app, mod, { agoMs: 4_000 });
      const viewer = await connectSocket(app.url);
      await emitAck(viewer, 'room:join', { roomId: room.id });
      const opened = nextEvent(viewer, 'poll:opened', () => true, 10_000);
      const created = await app.http
        .post(`/api/rooms/${room.id}/polls`)
        .set('Authorization', mod.bearer)
        .send({ question: 'What happens next?', options: ['A', 'B'], durationMs: 10_000, atOffsetMs: 5_000 });
      expect(created.body.poll.status).toBe('draft');
      const { poll } = await opened;
      expect(poll.id).toBe(created.body.poll.id);
      expect(Date.parse(poll.opensAt)).toBeGreaterThanOrEqual(Date.parse(room.startsAt) + 5_000);
      await app.http.post(`/api/polls/${poll.id}/close`).set('Authorization', mod.bearer).expect(200);
      const replay = await app.http.get(`/api/rooms/${room.id}/polls`);
      expect(replay.body.polls[0]).toMatchObject({ poll: { id: poll.id, atOffsetMs: 5_000, status: 'closed' }, tallies: { o1: 0, o2: 0 } });
      viewer.close();
    } finally {
      await workers.close();
      await app.stop();
    }
  }, allowance(30_000));
});

describe('results by audience segment', () => {
  it('breaks results down by opt-in profile and new/returning viewers, merging segments under 10 voters', async () => {
    const app = await startTestApp();
    try {
      const mod = await createAccount(app, 'moderator');
      const writer = await createAccount(app, 'writer');
      const earlier = await createRoom(app, mod);
      const room = await createRoom(app, mod);
      const poll = (await app.http.post(`/api/rooms/${room.id}/polls`).set('Authorization', mod.bearer).send({ question: 'Pick', options: ['Left', 'Right'], durationMs: 60_000 })).body.poll;
      await app.http.post(`/api/polls/${poll.id}/open`).set('Authorization', mod.bearer).expect(200);
      const plan = [
        ...Array.from({ length: 12 }, () => ({ region: 'Shanghai', option: 'o1', returning: true })),
        ...Array.from({ length: 11 }, () => ({ region: 'Chengdu', option: 'o2', returning: false })),
        ...Array.from({ length: 3 }, () => ({ region: 'Lhasa', option: 'o2', returning: false })),
      ];
      for (const p of plan) {
        const fan = await createAccount(app);
        await app.http.patch('/api/me/profile').set('Authorization', fan.bearer).send({ region: p.region, birthYear: 2000 }).expect(200);
        const s = await connectSocket(app.url, { token: fan.token });
        if (p.returning) await emitAck(s, 'room:join', { roomId: earlier.id });
        await emitAck(s, 'room:join', { roomId: room.id });
        expect((await emitAck(s, 'poll:vote', { pollId: poll.id, optionIds: [p.option] })).ok).toBe(true);
        s.close();
      }
      const fan = await createAccount(app);
      expect((await app.http.get(`/api/polls/${poll.id}/segments`).set('Authorization', fan.bearer)).status).toBe(403);
      const res = await app.http.get(`/api/polls/${poll.id}/segments`).set('Authorization', writer.bearer);
      expect(res.status).toBe(200);
      const { dimensions, minSegmentSize } = res.body.segments;
      expect(minSegmentSize).toBe(10);
      // Lhasa (3 voters) is too small to show alone; merging it with Chengdu's 11 would still expose it by
      // subtraction, so the smallest large segment joins "other" too.
      expect(dimensions.region).toEqual([
        { segment: 'Shanghai', voters: 12, tallies: { o1: 12, o2: 0 } },
        { segment: 'other', voters: 14, tallies: { o1: 0, o2: 14 } },
      ]);
      expect(dimensions.viewer).toEqual([
        { segment: 'new', voters: 14, tallies: { o1: 0, o2: 14 } },
        { segment: 'returning', voters: 12, tallies: { o1: 12, o2: 0 } },
      ]);
      expect(dimensions.gender).toEqual([{ segment: 'unknown', voters: 26, tallies: { o1: 12, o2: 14 } }]);
      expect(dimensions.age[0]).toMatchObject({ segment: '25-34', voters: 26 });
      expect((await app.http.patch('/api/me/profile').set('Authorization', fan.bearer).send({ birthYear: 'old' })).status).toBe(400);
    } finally {
      await app.stop();
    }
  }, allowance(60_000));
});
