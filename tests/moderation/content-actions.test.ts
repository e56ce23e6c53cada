import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { connectSocket, emitAck, nextEvent, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import type { WorkerRuntime } from '../../workers/runtime.js';
import type { Room } from '../../contracts/rooms.js';

let app: TestApp;
let workers: WorkerRuntime;
let mod: Account;
let room: Room;
const sockets: ClientSocket[] = [];
const track = (s: ClientSocket) => (sockets.push(s), s);

beforeAll(async () => {
  app = await startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0', PROPOSALS_PER_HOUR: '1000' } });
  workers = await startTestWorkers(app);
  mod = await createAccount(app, 'moderator');
  room = await createRoom(app, mod);
  await app.http.put(`/api/rooms/${room.id}/settings`).set('Authorization', mod.bearer).send({ blockedTerms: [{ term: 'hold me', action: 'hold' }] }).expect(200);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await workers?.close();
  await app?.stop();
});

const act = (targetType: string, targetId: string, action: string) =>
  app.http.post('/api/moderation/actions').set('Authorization', mod.bearer).send({ targetType, targetId, action, reason: `${action} by staff` });
/** [action, actor] of every audit entry on the target, newest first. */
const auditOf = async (targetId: string) =>
  (await app.http.get(`/api/moderation/audit?targetId=${targetId}`).set('Authorization', mod.bearer)).body.entries.map((e: any) => [e.action, e.actorId]);
const replayIds = async () => (await app.http.get(`/api/rooms/${room.id}/danmaku`)).body.items.map((d: any) => d.id);
const recentIds = async (s: ClientSocket) => (await emitAck(s, 'room:join', { roomId: room.id })).danmaku.items.map((d: any) => d.id);
const stored = (id: string, state: string) => eventually(async () => (await app.deps.db.pool.query('select state from danmaku where id = $1', [id])).rows[0]?.state === state);

describe('staff restore and reject danmaku', () => {
  it('a hidden comment restored comes back for viewers who join and in the replay; each action is audited once', async () => {
    const fan = await createAccount(app);
    const s = track(await connectSocket(app.url, { token: fan.token }));
    const sent = await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'an ordinary comment' });
    const id = sent.danmaku.id;
    await stored(id, 'visible');
    const viewer = track(await connectSocket(app.url));
    await emitAck(viewer, 'room:join', { roomId: room.id });

    const retracted = nextEvent(viewer, 'danmaku:retract', (e: any) => e.ids.includes(id));
    await act('danmaku', id, 'hide').expect(201);
    await retracted;
    expect(await replayIds()).not.toContain(id);
    expect(await recentIds(viewer)).not.toContain(id);

    const restored = await act('danmaku', id, 'restore');
    expect(restored.status).toBe(201);
    expect(restored.body.action).toMatchObject({ action: 'restore', targetId: id, roomId: room.id });
    expect(await replayIds()).toContain(id);
    expect(await recentIds(track(await connectSocket(app.url)))).toContain(id);
    expect(await auditOf(id)).toEqual([['restore', mod.user.id], ['hide', mod.user.id]]);
  });

  it('a held comment rejected never reaches viewers and leaves its author\'s waiting list', async () => {
    const fan = await createAccount(app);
    const s = track(await connectSocket(app.url, { token: fan.token }));
    const held = await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'hold me tight' });
    const id = held.danmaku.id;
    await stored(id, 'held');
    const viewer = track(await connectSocket(app.url));
    await emitAck(viewer, 'room:join', { roomId: room.id });
    let viewerSaw = false;
    viewer.on('danmaku:batch', (b: any) => (viewerSaw ||= b.items.some((d: any) => d.id === id)));

    await act('danmaku', id, 'reject').expect(201);
    await stored(id, 'hidden');
    expect((await emitAck(s, 'room:join', { roomId: room.id })).danmaku.held.map((d: any) => d.id)).not.toContain(id);
    expect(await replayIds()).not.toContain(id);
    // A later comment reaches the viewer; the rejected one never did.
    const later = await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'a later comment' });
    await nextEvent(viewer, 'danmaku:batch', (b: any) => b.items.some((d: any) => d.id === later.danmaku.id));
    expect(viewerSaw).toBe(false);
    expect(await auditOf(id)).toEqual([['reject', mod.user.id], ['hold', null]]);
    expect((await app.http.get('/api/moderation/queue?type=danmaku').set('Authorization', mod.bearer)).body.items.map((i: any) => i.targetId)).not.toContain(id);
  });

  it('a held comment restored is shown live, as approve does', async () => {
    const fan = await createAccount(app);
    const s = track(await connectSocket(app.url, { token: fan.token }));
    const held = await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'hold me gently' });
    const id = held.danmaku.id;
    await stored(id, 'held');
    const viewer = track(await connectSocket(app.url));
    await emitAck(viewer, 'room:join', { roomId: room.id });
    const shown = nextEvent(viewer, 'danmaku:batch', (b: any) => b.items.some((d: any) => d.id === id));
    await act('danmaku', id, 'restore').expect(201);
    expect((await shown).items.find((d: any) => d.id === id)).toMatchObject({ text: 'hold me gently' });
    expect(await replayIds()).toContain(id);
    expect(await auditOf(id)).toEqual([['restore', mod.user.id], ['hold', null]]);
  });
});

describe('staff restore and reject proposals', () => {
  async function propose(author: Account, title: string) {
    const res = await app.http.post('/api/proposals').set('Authorization', author.bearer).send({ ip: `Actions IP ${randomUUID().slice(0, 6)}`, title, body: '<p>then this</p>', roomId: room.id });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return eventually(async () => {
      const p = (await app.http.get(`/api/proposals/${res.body.proposal.id}`).set('Authorization', mod.bearer)).body.proposal;
      return p?.status !== 'pending' && p;
    });
  }
  /** The proposal's audit entries by staff (the moderation worker's own decision has no actor). */
  const staffAudit = async (id: string) => (await auditOf(id)).filter(([, actor]: [string, string | null]) => actor !== null);

  it('restoring a held proposal approves it: the author and the room\'s viewers hear it, and everyone can read it', async () => {
    const author = await createAccount(app);
    const authorSocket = track(await connectSocket(app.url, { token: author.token }));
    const viewer = track(await connectSocket(app.url));
    await emitAck(viewer, 'room:join', { roomId: room.id });
    const held = await propose(author, 'hold me in the writers room');
    expect(held.status).toBe('held');
    expect((await app.http.get(`/api/proposals/${held.id}`)).status).toBe(404);

    const authorTold = nextEvent(authorSocket, 'proposal:update', (e: any) => e.proposal.id === held.id && e.proposal.status === 'approved');
    const viewersTold = nextEvent(viewer, 'proposal:update', (e: any) => e.proposal.id === held.id && e.proposal.status === 'approved');
    await act('proposal', held.id, 'restore').expect(201);
    await authorTold;
    await viewersTold;
    expect((await app.http.get(`/api/proposals/${held.id}`)).body.proposal.status).toBe('approved');
    expect(await staffAudit(held.id)).toEqual([['restore', mod.user.id]]);
  });

  it('rejecting an approved proposal takes it away from readers and tells its author', async () => {
    const author = await createAccount(app);
    const authorSocket = track(await connectSocket(app.url, { token: author.token }));
    const approved = await propose(author, 'a twist nobody asked for');
    expect(approved.status).toBe('approved');
    expect((await app.http.get(`/api/proposals/${approved.id}`)).status).toBe(200);

    const told = nextEvent(authorSocket, 'proposal:update', (e: any) => e.proposal.id === approved.id && e.proposal.status === 'rejected');
    await act('proposal', approved.id, 'reject').expect(201);
    await told;
    expect((await app.http.get(`/api/proposals/${approved.id}`)).status).toBe(404);
    const listed = (await app.http.get(`/api/proposals?ip=${encodeURIComponent(approved.ip)}`)).body.items.map((p: any) => p.id);
    expect(listed).not.toContain(approved.id);
    expect(await staffAudit(approved.id)).toEqual([['reject', mod.user.id]]);
    // Rejected is final for staff actions that need a visible proposal: hiding it again is NOT_FOUND, not a second audit row.
    expect((await act('proposal', approved.id, 'hide')).status).toBe(404);
    expect(await staffAudit(approved.id)).toEqual([['reject', mod.user.id]]);
  });
});
