import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, startTestApp, type TestApp } from '../support/app.js';
import { createAccount, login, type Account } from '../support/accounts.js';
import { ADMIN } from '../support/app.js';
import { connectSocket, emitAck, nextEvent, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';
import type { Room } from '../../contracts/rooms.js';

// Two server processes sharing one database and Redis: role changes must reach sockets on both.
const iso = isolation('live_roles');
let a: TestApp;
let b: ServerProcess;
let adminBearer: string;
let mod: Account;
let room: Room;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  a = await startTestApp({ shared: iso });
  b = await spawnServer(iso);
  adminBearer = `Bearer ${(await login(a, ADMIN.handle, ADMIN.password)).token}`;
  mod = await createAccount(a, 'moderator');
  room = await createRoom(a, mod);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await b?.stop();
  await a?.stop();
});

const on = async (url: string, token: string) => {
  const s = await connectSocket(url, { token });
  sockets.push(s);
  return s;
};
const setRole = (userId: string, role: string) => a.http.patch(`/api/users/${userId}/role`).set('Authorization', adminBearer).send({ role }).expect(200);
const report = async (reporter: Account, targetId: string) =>
  a.http.post('/api/reports').set('Authorization', reporter.bearer).send({ targetType: 'user', targetId, reason: 'spam' }).expect(201);
const createPoll = () =>
  a.http.post(`/api/rooms/${room.id}/polls`).set('Authorization', mod.bearer).send({ question: 'Who did it?', options: ['a', 'b'], durationMs: 60_000, resultsVisibility: 'after_close' }).expect(201);

/**
 * True when `socket` never got `event` before a round trip that started after `control`
 * got it: packets on one connection arrive in order, so anything sent to it earlier
 * would have come before the ping's answer.
 */
async function missed(socket: ClientSocket, control: Promise<unknown>, event: string, got: string[]): Promise<boolean> {
  await control;
  await emitAck(socket, 'clock:ping', { t0: 1 });
  return !got.includes(event);
}

describe('role changes reach live sockets on every server process', () => {
  it('a fan promoted to moderator gets staff events at once on both processes, without reconnecting; demoted, none', async () => {
    const user = await createAccount(a);
    const here = await on(a.url, user.token);
    const there = await on(b.url, user.token);
    for (const s of [here, there]) expect((await emitAck(s, 'room:join', { roomId: room.id })).ok).toBe(true);
    const got = { here: [] as string[], there: [] as string[] };
    here.onAny((event) => got.here.push(event));
    there.onAny((event) => got.there.push(event));
    // A moderator who has always been one, on the far process: proof each event was sent.
    const control = await on(b.url, mod.token);
    expect((await emitAck(control, 'room:join', { roomId: room.id })).ok).toBe(true);
    const reporter = await createAccount(a);

    await setRole(user.user.id, 'moderator');
    for (const s of [here, there]) expect((await emitAck(s, 'session:whoami', {})).user.role).toBe('moderator');
    const target = await createAccount(a);
    const queued = Promise.all([here, there].map((s) => nextEvent(s, 'moderation:queue', (e: any) => e.targetId === target.user.id)));
    await report(reporter, target.user.id);
    await queued;
    // The premiere's staff room too: a new poll draft goes only there.
    const drafts = Promise.all([here, there].map((s) => nextEvent(s, 'poll:created')));
    const poll = (await createPoll()).body.poll;
    expect((await drafts).map((d: any) => d.poll.id)).toEqual([poll.id, poll.id]);

    await setRole(user.user.id, 'fan');
    for (const s of [here, there]) expect((await emitAck(s, 'session:whoami', {})).user.role).toBe('fan');
    got.here.length = 0;
    got.there.length = 0;
    const other = await createAccount(a);
    const controlQueue = nextEvent(control, 'moderation:queue', (e: any) => e.targetId === other.user.id);
    await report(reporter, other.user.id);
    expect(await missed(here, controlQueue, 'moderation:queue', got.here)).toBe(true);
    expect(await missed(there, controlQueue, 'moderation:queue', got.there)).toBe(true);
    const controlDraft = nextEvent(control, 'poll:created');
    await createPoll();
    expect(await missed(here, controlDraft, 'poll:created', got.here)).toBe(true);
    expect(await missed(there, controlDraft, 'poll:created', got.there)).toBe(true);
    // Joining the room again does not bring a demoted account back into the staff room.
    await emitAck(there, 'room:leave', { roomId: room.id });
    await emitAck(there, 'room:join', { roomId: room.id });
    const again = nextEvent(control, 'poll:created');
    await createPoll();
    expect(await missed(there, again, 'poll:created', got.there)).toBe(true);
  });

  it('a writer keeps the premiere staff room (hidden results) but never joins the moderation channel', async () => {
    const user = await createAccount(a);
    const there = await on(b.url, user.token);
    await emitAck(there, 'room:join', { roomId: room.id });
    const got: string[] = [];
    there.onAny((event) => got.push(event));
    const control = await on(b.url, mod.token);
    await setRole(user.user.id, 'writer');
    const draft = nextEvent(there, 'poll:created');
    await createPoll();
    await draft;
    const target = await createAccount(a);
    const controlQueue = nextEvent(control, 'moderation:queue', (e: any) => e.targetId === target.user.id);
    await report(await createAccount(a), target.user.id);
    expect(await missed(there, controlQueue, 'moderation:queue', got)).toBe(true);
  });
});
