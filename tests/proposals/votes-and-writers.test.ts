import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { connectSocket, nextEvent } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import type { WorkerRuntime } from '../../workers/runtime.js';

let app: TestApp;
let workers: WorkerRuntime;
let writer: Account;
const IP = 'Votes Saga';

async function approved(author: Account, title: string, extra: object = {}) {
  // Distinct words per proposal, so the duplicate detector has no reason to hold them.
  const words = Array.from({ length: 12 }, () => Math.random().toString(36).slice(2, 8)).join(' ');
  const res = await app.http.post('/api/proposals').set('Authorization', author.bearer).send({ ip: IP, title, body: `<p>${words}</p>`, ...extra });
  expect(res.status).toBe(202);
  return eventually(async () => {
    const p = (await app.http.get(`/api/proposals/${res.body.proposal.id}`).set('Authorization', author.bearer)).body.proposal;
    return p?.status === 'approved' && p;
  });
}
const vote = (who: Account, id: string, value: number) => app.http.post(`/api/proposals/${id}/vote`).set('Authorization', who.bearer).send({ value });

beforeAll(async () => {
  app = await startTestApp({ env: { PROPOSAL_SUPPORT_THRESHOLD: '5', PROPOSAL_VOTES_PER_MIN: '1000' } });
  workers = await startTestWorkers(app);
  writer = await createAccount(app, 'writer');
});
afterAll(async () => {
  await workers?.close();
  await app?.stop();
});

describe('voting on proposals', () => {
  it('concurrent votes give exact counts; a changed vote and a withdrawal count once', async () => {
    const p = await approved(await createAccount(app), 'Concurrent');
    const voters = await Promise.all(Array.from({ length: 30 }, () => createAccount(app)));
    const results = await Promise.all(voters.map((v, i) => vote(v, p.id, i % 3 === 0 ? -1 : 1)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    let after = (await app.http.get(`/api/proposals/${p.id}`)).body.proposal;
    expect([after.supporters, after.opponents]).toEqual([20, 10]);
    await Promise.all([vote(voters[0], p.id, 1), vote(voters[0], p.id, 1), vote(voters[1], p.id, 0)]);
    after = (await app.http.get(`/api/proposals/${p.id}`)).body.proposal;
    expect([after.supporters, after.opponents]).toEqual([20, 9]);
    // The scoring worker settles on the final counts: Wilson lower bound of 20 up / 9 down at z = 1.28.
    const scored = await eventually(async () => {
      const q = (await app.http.get(`/api/proposals/${p.id}`)).body.proposal;
      return Math.abs(q.scores.top - 0.5719) < 0.0005 && q;
    });
    expect(scored.scores.controversy).toBeCloseTo(29 / 11, 5);
  });

  it('rejects bad votes and guests; votes are rate-limited per account', async () => {
    const p = await approved(await createAccount(app), 'Bad votes');
    const fan = await createAccount(app);
    for (const value of [2, '1', null, true]) expect((await vote(fan, p.id, value as number)).status).toBe(400);
    expect((await app.http.post(`/api/proposals/${p.id}/vote`).send({ value: 1 })).status).toBe(401);
    expect((await vote(fan, '00000000-0000-4000-8000-000000000000', 1)).status).toBe(404);
    const tight = await startTestApp({ env: { PROPOSAL_VOTES_PER_MIN: '2' } });
    try {
      const someone = await createAccount(tight);
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await tight.http.post(`/api/proposals/${p.id}/vote`).set('Authorization', someone.bearer).send({ value: 1 })).status);
      expect(codes[2]).toBe(429);
    } finally {
      await tight.stop();
    }
  });

  it('reaching the support threshold moves a proposal into writers review and tells its author live', async () => {
    const author = await createAccount(app);
    const p = await approved(author, 'Threshold');
    const socket = await connectSocket(app.url, { token: author.token });
    const told = nextEvent(socket, 'proposal:update', (u: any) => u.proposal.id === p.id && u.proposal.status === 'in_review', 10_000);
    for (let i = 0; i < 5; i++) expect((await vote(await createAccount(app), p.id, 1)).status).toBe(200);
    expect((await told).proposal.supporters).toBe(5);
    socket.close();
  });

  it('new accounts count but are flagged for staff', async () => {
    const p = await approved(await createAccount(app), 'Flags');
    await vote(await createAccount(app), p.id, 1);
    const flagged = await eventually(async () => {
      const q = (await app.http.get(`/api/proposals/${p.id}`).set('Authorization', writer.bearer)).body.proposal;
      return q.flags?.includes('new_account_votes') && q;
    });
    expect(flagged.supporters).toBe(1);
    expect((await app.http.get(`/api/proposals/${p.id}`)).body.proposal.flags).toBeUndefined();
  });
});

describe("the writers' room", () => {
  it('a fan cannot reach the writers routes', async () => {
    const fan = await createAccount(app);
    for (const [method, path] of [
      ['get', '/api/writers/proposals'],
      ['get', '/api/writers/proposals/export'],
      ['post', '/api/writers/proposals/00000000-0000-4000-8000-000000000000/decision'],
      ['post', '/api/writers/proposals/00000000-0000-4000-8000-000000000000/merge'],
      ['post', '/api/writers/polls'],
    ] as const) {
      expect((await app.http[method](path).set('Authorization', fan.bearer).send({})).status, path).toBe(403);
      expect((await app.http[method](path).send({})).status, path).toBe(401);
    }
  });

  it('a decision with feedback and rubric reaches the author', async () => {
    const author = await createAccount(app);
    const p = await approved(author, 'Decide me');
    const res = await app.http
      .post(`/api/writers/proposals/${p.id}/decision`)
      .set('Authorization', writer.bearer)
      .send({ decision: 'shortlist', feedback: 'Lovely idea; we will test it in the room.', rubric: { originality: 5, fit: 4, feasibility: 3 } });
    expect(res.status).toBe(200);
    const seen = (await app.http.get(`/api/proposals/${p.id}`).set('Authorization', author.bearer)).body.proposal;
    expect(seen).toMatchObject({ status: 'shortlisted', decision: { decision: 'shortlist', feedback: 'Lovely idea; we will test it in the room.', rubric: { originality: 5, fit: 4, feasibility: 3 }, by: writer.user.id } });
    expect((await app.http.post(`/api/writers/proposals/${p.id}/decision`).set('Authorization', writer.bearer).send({ decision: 'accept', feedback: 'x', rubric: { originality: 9, fit: 1, feasibility: 1 } })).status).toBe(400);
  });

  it('a decision sent ten times at once (two writers, a double click) is recorded once per success, the rest CONFLICT, never a 500', async () => {
    const author = await createAccount(app);
    const p = await approved(author, 'Decide me at once');
    const other = await createAccount(app, 'writer');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        app.http
          .post(`/api/writers/proposals/${p.id}/decision`)
          .set('Authorization', (i % 2 ? other : writer).bearer)
          .send({ decision: i % 3 ? 'shortlist' : 'decline', feedback: `answer ${i}` }),
      ),
    );
    for (const a of answers) {
      expect(a.status, JSON.stringify(a.body)).toBeLessThan(500);
      if (a.status >= 400) expect(a.body.error.code).toMatch(/^[A-Z_]+$/);
    }
    expect(answers.some((a) => a.status === 200)).toBe(true);
    const seen = (await app.http.get(`/api/proposals/${p.id}`).set('Authorization', author.bearer)).body.proposal;
    // A shortlist may still be followed by a decline, so several can succeed; each one that
    // did is audited exactly once, and what is stored is one of them, whole.
    const succeeded = answers.filter((a) => a.status === 200);
    expect(succeeded.map((a) => a.body.proposal.decision.feedback)).toContain(seen.decision.feedback);
    const { rows } = await app.deps.db.pool.query(`select count(*)::int as n from audit_log where target_id = $1 and action in ('shortlist', 'accept', 'decline')`, [p.id]);
    expect(rows[0].n).toBe(succeeded.length);
    for (const a of answers.filter((x) => x.status !== 200)) expect(a.body.error.code).toBe('CONFLICT');
  });

  it('merge moves the votes to the original and every contributor keeps credit', async () => {
    const a = await createAccount(app);
    const b = await createAccount(app);
    const original = await approved(a, 'Original idea');
    const dupe = await approved(b, 'Same idea');
    const both = await createAccount(app);
    const onlyDupe = await createAccount(app);
    await vote(both, original.id, 1);
    await vote(both, dupe.id, -1);
    await vote(onlyDupe, dupe.id, 1);
    const merged = await app.http.post(`/api/writers/proposals/${dupe.id}/merge`).set('Authorization', writer.bearer).send({ intoId: original.id });
    expect(merged.status).toBe(200);
    expect(merged.body.proposal).toMatchObject({ id: original.id, supporters: 2, opponents: 0 });
    expect(merged.body.proposal.contributors.map((c: any) => c.id).sort()).toEqual([a.user.id, b.user.id].sort());
    expect((await app.http.get(`/api/proposals/${dupe.id}`)).body.proposal).toMatchObject({ status: 'merged', supporters: 0 });
    expect((await app.http.post(`/api/writers/proposals/${original.id}/merge`).set('Authorization', writer.bearer).send({ intoId: original.id })).status).toBe(400);
  });

  it('exports CSV (formula-safe) and JSON, and turns the top proposals into a live poll', async () => {
    await approved(await createAccount(app), '=HYPERLINK("http://evil")');
    const csv = await app.http.get(`/api/writers/proposals/export?format=csv&ip=${encodeURIComponent(IP)}`).set('Authorization', writer.bearer);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    const json = await app.http.get(`/api/writers/proposals/export?format=json&ip=${encodeURIComponent(IP)}`).set('Authorization', writer.bearer);
    expect(json.body.proposals.length).toBeGreaterThan(3);
    const mod = await createAccount(app, 'moderator');
    const room = await createRoom(app, mod);
    const poll = await app.http.post('/api/writers/polls').set('Authorization', writer.bearer).send({ roomId: room.id, ip: IP, count: 3, durationMs: 60_000 });
    expect(poll.status).toBe(201);
    expect(poll.body.poll).toMatchObject({ question: 'What happens next?', status: 'draft', roomId: room.id });
    expect(poll.body.poll.options).toHaveLength(3);
    // Not in a premiere that is over: such a poll could never open.
    const over = await createRoom(app, mod, { startsAt: new Date(Date.now() - 120_000), durationMs: 60_000 });
    const late = await app.http.post('/api/writers/polls').set('Authorization', writer.bearer).send({ roomId: over.id, ip: IP, count: 3, durationMs: 60_000 });
    expect([late.status, late.body.error?.code]).toEqual([409, 'ROOM_NOT_LIVE']);
  });

  it('the detail view shows votes over time, supporters by segment and the duplicate cluster', async () => {
    const p = await approved(await createAccount(app), 'Detail');
    await vote(await createAccount(app), p.id, 1);
    const res = await app.http.get(`/api/writers/proposals/${p.id}`).set('Authorization', writer.bearer);
    expect(res.status).toBe(200);
    expect(res.body.votesOverTime).toEqual([{ at: expect.any(String), supporters: 1, opponents: 0 }]);
    expect(res.body.segments.dimensions.viewer).toEqual([{ segment: 'other', voters: 1, tallies: { support: 1, oppose: 0 } }]);
    expect(res.body.duplicates).toEqual([]);
  });
});
