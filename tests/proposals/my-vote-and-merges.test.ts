import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount, type Account } from '../support/accounts.js';
import { eventually, startTestWorkers } from '../support/workers.js';
import type { WorkerRuntime } from '../../workers/runtime.js';

let app: TestApp;
let workers: WorkerRuntime;
let writer: Account;

async function approved(ip: string, title: string) {
  const author = await createAccount(app);
  // Distinct words per proposal, so the duplicate detector has no reason to hold them.
  const words = Array.from({ length: 12 }, () => Math.random().toString(36).slice(2, 8)).join(' ');
  const res = await app.http.post('/api/proposals').set('Authorization', author.bearer).send({ ip, title, body: `<p>${words}</p>` });
  expect(res.status).toBe(202);
  return eventually(async () => {
    const p = (await app.http.get(`/api/proposals/${res.body.proposal.id}`).set('Authorization', author.bearer)).body.proposal;
    return p?.status === 'approved' && p;
  });
}
const vote = (who: Account, id: string, value: number) => app.http.post(`/api/proposals/${id}/vote`).set('Authorization', who.bearer).send({ value });
const merge = (fromId: string, intoId: string) => app.http.post(`/api/writers/proposals/${fromId}/merge`).set('Authorization', writer.bearer).send({ intoId });

beforeAll(async () => {
  app = await startTestApp({ env: { PROPOSAL_VOTES_PER_MIN: '1000' } });
  workers = await startTestWorkers(app);
  writer = await createAccount(app, 'writer');
});
afterAll(async () => {
  await workers?.close();
  await app?.stop();
});

describe('myVote', () => {
  it("list, detail and the vote answer carry the caller's own vote; others and guests see null", async () => {
    const p = await approved('MyVote Saga', 'Mine to vote on');
    const fan = await createAccount(app);
    const other = await createAccount(app);
    const detail = (who?: Account) => (who ? app.http.get(`/api/proposals/${p.id}`).set('Authorization', who.bearer) : app.http.get(`/api/proposals/${p.id}`));
    const listed = async (who?: Account) => {
      const req = app.http.get('/api/proposals?ip=MyVote%20Saga&sort=new');
      const res = who ? await req.set('Authorization', who.bearer) : await req;
      return res.body.items.find((i: any) => i.id === p.id);
    };

    expect((await detail(fan)).body.proposal.myVote).toBeNull();
    expect((await vote(fan, p.id, 1)).body.proposal.myVote).toBe(1);
    expect((await detail(fan)).body.proposal.myVote).toBe(1);
    expect((await listed(fan)).myVote).toBe(1);
    expect((await detail(other)).body.proposal.myVote).toBeNull();
    expect((await listed(other)).myVote).toBeNull();
    expect((await detail()).body.proposal.myVote).toBeNull();

    expect((await vote(fan, p.id, -1)).body.proposal.myVote).toBe(-1);
    expect((await listed(fan)).myVote).toBe(-1);
    expect((await vote(fan, p.id, 0)).body.proposal.myVote).toBeNull();
    expect((await detail(fan)).body.proposal.myVote).toBeNull();
  });
});

describe('merge errors', () => {
  it('each refused merge answers its own code in the {error:{code,message}} shape', async () => {
    const [a, b, d, rejected] = await Promise.all(['A', 'B', 'D', 'R'].map((t) => approved('Merge Saga', `Merge ${t}`)));
    const elsewhere = await approved('Other Saga', 'Elsewhere');

    const self = await merge(a.id, a.id);
    expect(self.status).toBe(400);
    expect(self.body.error).toMatchObject({ code: 'MERGE_INTO_SELF', message: expect.any(String) });

    const across = await merge(a.id, elsewhere.id);
    expect(across.status).toBe(409);
    expect(across.body.error).toMatchObject({ code: 'MERGE_ACROSS_FRANCHISES', message: expect.any(String) });

    expect((await merge(b.id, a.id)).status).toBe(200);
    const again = await merge(b.id, a.id);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'MERGE_SOURCE_ALREADY_MERGED', details: { mergedInto: a.id } });

    const intoMerged = await merge(d.id, b.id);
    expect(intoMerged.status).toBe(409);
    expect(intoMerged.body.error).toMatchObject({ code: 'MERGE_TARGET_MERGED', details: { mergedInto: a.id } });

    await app.deps.db.pool.query(`update proposals set status = 'rejected' where id = $1`, [rejected.id]);
    const intoRejected = await merge(d.id, rejected.id);
    expect(intoRejected.status).toBe(409);
    expect(intoRejected.body.error).toMatchObject({ code: 'MERGE_TARGET_REJECTED' });
    expect((await app.http.get(`/api/proposals/${d.id}`)).body.proposal.status).toBe('approved');
  });

  it('two writers merging a pair into each other at once: one merge wins, the other is refused', async () => {
    const [x, y] = await Promise.all(['X', 'Y'].map((t) => approved('Race Saga', `Race ${t}`)));
    const answers = await Promise.all([merge(x.id, y.id), merge(y.id, x.id)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(answers.find((r) => r.status === 409)!.body.error.code).toMatch(/^MERGE_(SOURCE_ALREADY_MERGED|TARGET_MERGED)$/);
    const { rows } = await app.deps.db.pool.query(`select count(*)::int as n from proposals where id in ($1, $2) and status = 'merged'`, [x.id, y.id]);
    expect(rows[0].n).toBe(1);
  });
});
