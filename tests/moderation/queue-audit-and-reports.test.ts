import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { connectSocket, emitAck, nextEvent, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import type { WorkerRuntime } from '../../workers/runtime.js';
import type { Room } from '../../contracts/rooms.js';
import { createDanmakuStore, holdAuditEntries } from '../../server/features/danmaku/index.js';
import { createAuditLog } from '../../server/features/moderation/index.js';

let app: TestApp;
let workers: WorkerRuntime;
let mod: Account;
let room: Room;
const sockets: ClientSocket[] = [];
const track = (s: ClientSocket) => (sockets.push(s), s);
const asMod = (path: string) => app.http.get(path).set('Authorization', mod.bearer);

beforeAll(async () => {
  app = await startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0', PROPOSALS_PER_HOUR: '1000' } });
  workers = await startTestWorkers(app);
  mod = await createAccount(app, 'moderator');
  room = await createRoom(app, mod);
  await app.http.put(`/api/rooms/${room.id}/settings`).set('Authorization', mod.bearer).send({ automodLevel: 2, blockedTerms: [{ term: 'hold me', action: 'hold' }] }).expect(200);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await workers?.close();
  await app?.stop();
});

/** Submits a proposal and waits for the moderation worker's decision. */
async function propose(author: Account, ip: string, title: string) {
  const res = await app.http.post('/api/proposals').set('Authorization', author.bearer).send({ ip, title, body: '<p>what happens next</p>', roomId: room.id });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const id: string = res.body.proposal.id;
  return eventually(async () => {
    const p = (await app.http.get(`/api/proposals/${id}`).set('Authorization', mod.bearer)).body.proposal;
    return p?.status !== 'pending' && p;
  });
}

const report = (by: Account, targetType: string, targetId: string, reason = 'spam') =>
  app.http.post('/api/reports').set('Authorization', by.bearer).send({ targetType, targetId, reason });

describe('automatic holds are audited', () => {
  it('a spam-signal hold is one audit row with no actor, found by actorId=automod, and a retried batch adds none', async () => {
    const fan = await createAccount(app);
    const s = track(await connectSocket(app.url, { token: fan.token }));
    const sent = await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'cheap tickets at spam-shop.com' });
    expect(sent.danmaku.held).toBe(true);
    const entries = await eventually(async () => {
      const e = (await asMod(`/api/moderation/audit?targetId=${sent.danmaku.id}`)).body.entries;
      return e.length > 0 && e;
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: null, action: 'hold', targetType: 'danmaku', roomId: room.id, reason: 'held for review: automod:link', details: { automatic: true, reasons: ['automod:link'] } });
    expect(Date.parse(entries[0].at)).toBe(Date.parse(sent.danmaku.createdAt));
    const automod = (await asMod(`/api/moderation/audit?actorId=automod&targetId=${sent.danmaku.id}`)).body.entries;
    expect(automod.map((e: any) => e.id)).toEqual([entries[0].id]);
    expect((await asMod(`/api/moderation/audit?actorId=${mod.user.id}&targetId=${sent.danmaku.id}`)).body.entries).toEqual([]);

    // The persister may write a batch twice (a crash before its ack): the row and its audit are skipped together.
    const audit = createAuditLog(app.deps.db.orm);
    const again = await createDanmakuStore(app.deps.db.orm).insertBatch(
      [{ danmaku: { ...sent.danmaku, held: undefined }, state: 'held', reasons: ['automod:link'] }],
      (tx, inserted) => audit.recordAll(holdAuditEntries(inserted), tx),
    );
    expect(again).toBe(0);
    expect((await asMod(`/api/moderation/audit?targetId=${sent.danmaku.id}`)).body.entries).toHaveLength(1);
  });
});

describe('review queue filters', () => {
  it('ip keeps only proposals of that franchise', async () => {
    const author = await createAccount(app);
    const [ipA, ipB] = [`Franchise A ${randomUUID().slice(0, 6)}`, `Franchise B ${randomUUID().slice(0, 6)}`];
    const a = await propose(author, ipA, 'please hold me A');
    const b = await propose(author, ipB, 'please hold me B');
    expect([a.status, b.status]).toEqual(['held', 'held']);
    const onlyA = (await asMod(`/api/moderation/queue?ip=${encodeURIComponent(ipA)}`)).body.items;
    expect(onlyA.map((i: any) => [i.targetType, i.targetId, i.ip])).toEqual([['proposal', a.id, ipA]]);
    expect(onlyA[0]).toMatchObject({ kind: 'held', reasons: ['term:hold:hold me'], preview: 'please hold me A', authorId: author.user.id });
    expect((await asMod(`/api/moderation/queue?ip=nobody-${randomUUID()}`)).body.items).toEqual([]);
  });

  it('status=open (the default) drops answered reports; status=all keeps them with no open reports left', async () => {
    const reporter = await createAccount(app);
    const target = await createAccount(app);
    await report(reporter, 'user', target.user.id, 'abuse').expect(201);
    const open = (await asMod('/api/moderation/queue?type=user&status=open')).body.items.find((i: any) => i.targetId === target.user.id);
    expect(open).toMatchObject({ kind: 'reported', reports: 1, reasons: ['report:abuse'] });
    await app.http.post('/api/moderation/actions').set('Authorization', mod.bearer).send({ targetType: 'user', targetId: target.user.id, action: 'mute', reason: 'abuse', durationMs: 60_000 }).expect(201);
    for (const path of ['/api/moderation/queue?type=user', '/api/moderation/queue?type=user&status=open']) {
      expect((await asMod(path)).body.items.map((i: any) => i.targetId)).not.toContain(target.user.id);
    }
    const all = (await asMod('/api/moderation/queue?type=user&status=all')).body.items.find((i: any) => i.targetId === target.user.id);
    expect(all).toMatchObject({ kind: 'reported', reports: 0, reasons: ['report:abuse'] });
    expect((await asMod('/api/moderation/queue?status=closed')).status).toBe(400);
  });
});

describe('audit log filters', () => {
  it('actorId keeps one moderator\'s entries and action keeps one kind of action', async () => {
    const other = await createAccount(app, 'moderator');
    const fan = await createAccount(app);
    const act = (by: Account, action: string) =>
      app.http.post('/api/moderation/actions').set('Authorization', by.bearer).send({ targetType: 'user', targetId: fan.user.id, action, reason: `${action} test`, durationMs: action === 'unmute' ? undefined : 60_000 }).expect(201);
    await act(mod, 'mute');
    await act(other, 'unmute');
    await act(other, 'ban');
    const byOther = (await asMod(`/api/moderation/audit?actorId=${other.user.id}`)).body.entries;
    expect(byOther.map((e: any) => e.action)).toEqual(['ban', 'unmute']);
    expect(byOther.every((e: any) => e.actorId === other.user.id)).toBe(true);
    const mutes = (await asMod(`/api/moderation/audit?action=mute&targetId=${fan.user.id}`)).body.entries;
    expect(mutes.map((e: any) => [e.action, e.actorId])).toEqual([['mute', mod.user.id]]);
    expect((await asMod(`/api/moderation/audit?action=mute&actorId=${other.user.id}`)).body.entries).toEqual([]);
    expect((await asMod('/api/moderation/audit?actorId=not-an-id')).status).toBe(400);
  });
});

describe('reports', () => {
  it('an account may file 30 reports an hour; the 31st is RATE_LIMITED with when to retry', async () => {
    const reporter = await createAccount(app);
    const target = await createAccount(app);
    // Malformed reports are refused without spending the budget.
    for (let i = 0; i < 5; i++) {
      const bad = await app.http.post('/api/reports').set('Authorization', reporter.bearer).send({ targetType: 'user', targetId: 'not-an-id', reason: 'spam' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    }
    for (let i = 0; i < 30; i++) await report(reporter, 'user', target.user.id).expect(201);
    const refused = await report(reporter, 'user', target.user.id);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(refused.body.error.details.retryAfterMs).toBeGreaterThan(3_500_000);
    expect(refused.body.error.details.retryAfterMs).toBeLessThanOrEqual(3_600_000);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3_500);
    // The socket's danmaku:report spends the same budget: it cannot be used to get around it.
    const socket = track(await connectSocket(app.url, { token: reporter.token }));
    const viaSocket = await emitAck(socket, 'danmaku:report', { id: randomUUID(), reason: 'spam' });
    expect(viaSocket).toEqual({ ok: false, error: expect.objectContaining({ code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } }) });
    // The budget is per account: someone else still reports.
    await report(await createAccount(app), 'user', target.user.id).expect(201);
  });

  it('danmaku:report over the socket spends the hourly budget too', async () => {
    const reporter = await createAccount(app);
    const author = await createAccount(app);
    const socket = track(await connectSocket(app.url, { token: reporter.token }));
    const authorSocket = track(await connectSocket(app.url, { token: author.token }));
    const sent = await emitAck(authorSocket, 'danmaku:send', { roomId: room.id, text: 'report me' });
    expect(sent.ok, JSON.stringify(sent)).toBe(true);
    for (let i = 0; i < 30; i++) expect((await emitAck(socket, 'danmaku:report', { id: sent.danmaku.id, reason: 'spam' })).ok).toBe(true);
    const refused = await emitAck(socket, 'danmaku:report', { id: sent.danmaku.id, reason: 'spam' });
    expect(refused.error.code).toBe('RATE_LIMITED');
    // And then the HTTP route is refused as well.
    const target = await createAccount(app);
    expect((await report(reporter, 'user', target.user.id)).status).toBe(429);
  });

  it('enough distinct reporters hold a proposal until reviewed; its author hears of it and it waits in the queue', async () => {
    const author = await createAccount(app);
    const authorSocket = track(await connectSocket(app.url, { token: author.token }));
    const proposal = await propose(author, `Reported IP ${randomUUID().slice(0, 6)}`, 'a perfectly ordinary idea');
    expect(proposal.status).toBe('approved');
    const [r1, r2, r3] = await Promise.all([createAccount(app), createAccount(app), createAccount(app)]);
    expect((await report(r1, 'proposal', proposal.id)).body.report.hidden).toBe(false);
    // One person reporting twice is still one reporter.
    expect((await report(r1, 'proposal', proposal.id, 'abuse')).body.report.hidden).toBe(false);
    expect((await report(r2, 'proposal', proposal.id)).body.report.hidden).toBe(false);
    const told = nextEvent(authorSocket, 'proposal:update', (e: any) => e.proposal.id === proposal.id && e.proposal.status === 'held');
    expect((await report(r3, 'proposal', proposal.id)).body.report.hidden).toBe(true);
    await told;
    expect((await app.http.get(`/api/proposals/${proposal.id}`)).status).toBe(404);
    const item = (await asMod('/api/moderation/queue?type=proposal')).body.items.find((i: any) => i.targetId === proposal.id);
    expect(item).toMatchObject({ kind: 'held', reports: 3, reasons: ['report:spam'] });
    const audit = (await asMod(`/api/moderation/audit?targetId=${proposal.id}&actorId=automod`)).body.entries;
    expect(audit.map((e: any) => [e.action, e.reason])).toEqual([['hide', 'held until reviewed: 3 reports'], ['approve', 'passed automatic moderation']]);
  });
});

describe('user card', () => {
  it('shows the reports a user filed and those against them and their content, and their recent proposals', async () => {
    const subject = await createAccount(app);
    const other = await createAccount(app);
    const proposal = await propose(subject, `Card IP ${randomUUID().slice(0, 6)}`, 'my card proposal');
    await report(subject, 'user', other.user.id, 'impersonation').expect(201);
    await report(other, 'user', subject.user.id, 'abuse').expect(201);
    await report(other, 'proposal', proposal.id, 'spoiler').expect(201);
    const card = (await asMod(`/api/moderation/users/${subject.user.id}`)).body;
    expect(card.reportsBy.map((r: any) => [r.target_type, r.target_id, r.reason, r.status])).toEqual([['user', other.user.id, 'impersonation', 'open']]);
    expect(card.reportsAgainst.map((r: any) => [r.target_type, r.target_id, r.reason]).sort()).toEqual([
      ['proposal', proposal.id, 'spoiler'],
      ['user', subject.user.id, 'abuse'],
    ]);
    expect(card.recentProposals.map((p: any) => [p.id, p.title, p.status])).toEqual([[proposal.id, 'my card proposal', 'approved']]);
    expect((await asMod(`/api/moderation/users/${other.user.id}`)).body.reportsAgainst.map((r: any) => r.reason)).toEqual(['impersonation']);
  });
});

describe('appeals', () => {
  it('an upheld appeal leaves the action in force and only the answer reaches the user', async () => {
    const fan = await createAccount(app);
    const mute = await app.http.post('/api/moderation/actions').set('Authorization', mod.bearer).send({ targetType: 'user', targetId: fan.user.id, action: 'mute', reason: 'flooding' }).expect(201);
    const s = track(await connectSocket(app.url, { token: fan.token }));
    const appeal = await app.http.post('/api/appeals').set('Authorization', fan.bearer).send({ actionId: mute.body.action.id, text: 'it was one message' }).expect(201);
    const answered = nextEvent(s, 'appeal:update');
    const decided = await app.http.post(`/api/moderation/appeals/${appeal.body.appeal.id}/decision`).set('Authorization', mod.bearer).send({ decision: 'uphold', reply: 'It was forty.' });
    expect(decided.body.appeal).toMatchObject({ status: 'upheld', reply: 'It was forty.', decidedBy: mod.user.id });
    expect((await answered).appeal).toMatchObject({ id: appeal.body.appeal.id, status: 'upheld', reply: 'It was forty.' });
    expect((await emitAck(s, 'danmaku:send', { roomId: room.id, text: 'still here?' })).error.code).toBe('MUTED');
    expect((await asMod(`/api/moderation/audit?targetId=${fan.user.id}`)).body.entries.map((e: any) => e.action)).toEqual(['mute']);
    expect((await app.http.get('/api/appeals/mine').set('Authorization', fan.bearer)).body.appeals[0]).toMatchObject({ status: 'upheld' });
    // Answered once: a second decision is refused and the list of open appeals no longer has it.
    expect((await app.http.post(`/api/moderation/appeals/${appeal.body.appeal.id}/decision`).set('Authorization', mod.bearer).send({ decision: 'reverse', reply: 'changed my mind' })).status).toBe(409);
    expect((await asMod('/api/moderation/appeals')).body.appeals.map((a: any) => a.id)).not.toContain(appeal.body.appeal.id);
  });
});
